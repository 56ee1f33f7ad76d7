"""Network editors create and revoke their network's API tokens; the secret is shown once."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from directory.contributions.selectors import network_api_token_get
from directory.models import NetworkApiToken, OrganisationClaim, OrganisationEditor

pytestmark = pytest.mark.django_db


def tokens_url(network) -> str:
    return f"/reseaux/{network.slug}/jetons/"


def test_an_editor_creates_a_token_and_sees_its_secret_once(client, world):
    client.force_login(world.users["editeur A"])
    response = client.post(tokens_url(world.network_a), {"name": "Synchronisation du CRM"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assertContains(response, secret)
    assertContains(response, "il ne sera plus jamais affiché")
    token = NetworkApiToken.objects.get()
    assert (token.network, token.created_by) == (world.network_a, world.users["editeur A"])
    assert secret not in token.hashed_key
    assert network_api_token_get(secret=secret) == token
    again = client.get(tokens_url(world.network_a))
    assertNotContains(again, secret)
    assertContains(again, "Synchronisation du CRM")


def test_a_token_needs_a_name(client, world):
    client.force_login(world.users["editeur A"])
    response = client.post(tokens_url(world.network_a), {"name": ""})
    assertContains(response, "Ce champ est obligatoire")
    assert not NetworkApiToken.objects.exists()


def test_revoking_keeps_the_token_listed_and_makes_it_unusable(client, world):
    client.force_login(world.users["editeur A"])
    secret = client.post(tokens_url(world.network_a), {"name": "CRM"}).context["secret"]
    token = NetworkApiToken.objects.get()
    response = client.post(f"{tokens_url(world.network_a)}{token.pk}/revoquer/")
    assert response["Location"] == tokens_url(world.network_a)
    token.refresh_from_db()
    assert token.revoked_by == world.users["editeur A"]
    assert network_api_token_get(secret=secret) is None
    assertContains(client.get(tokens_url(world.network_a)), "Révoqué le")


def test_another_networks_editor_can_neither_see_nor_revoke(client, world):
    client.force_login(world.users["editeur A"])
    client.post(tokens_url(world.network_a), {"name": "CRM"})
    token = NetworkApiToken.objects.get()
    client.force_login(world.users["editeur B"])
    assert client.get(tokens_url(world.network_a)).status_code == 403
    revoke = client.post(f"{tokens_url(world.network_a)}{token.pk}/revoquer/")
    assert revoke.status_code == 403
    # The token of A is not found under B's network either.
    other = client.post(f"{tokens_url(world.network_b)}{token.pk}/revoquer/")
    assert other.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_admin_lists_tokens_claims_and_owners_and_revokes(client, world):
    client.force_login(world.users["editeur A"])
    client.post(tokens_url(world.network_a), {"name": "CRM"})
    token = NetworkApiToken.objects.get()
    client.force_login(world.users["superuser"])
    claim = OrganisationClaim.objects.create(
        user=world.users["utilisateur"], organisation=world.member_a, siret="77567122500016"
    )
    owner = OrganisationEditor.objects.create(
        user=world.users["utilisateur"], organisation=world.member_a, claim=claim
    )
    for model, pk in (
        ("networkapitoken", token.pk),
        ("organisationclaim", claim.pk),
        ("organisationeditor", owner.pk),
    ):
        assert client.get(f"/admin/directory/{model}/").status_code == 200, model
        assert client.get(f"/admin/directory/{model}/{pk}/change/").status_code == 200, model
    response = client.post(
        "/admin/directory/networkapitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.users["superuser"]
