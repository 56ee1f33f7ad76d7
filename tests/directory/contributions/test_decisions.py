"""Every moderation decision (suggestion, claim, network membership, removal) has the same
two forms: accept in one click, refuse with a reason; a refusal that comes back says what
to fix beside the field and keeps what the moderator typed, on a page of one request or of
several."""

import pytest
from pytest_django.asserts import assertContains

from directory.models import OrganisationClaim, RemovalRequest, Suggestion

pytestmark = pytest.mark.django_db

TOO_LONG = "Motif détaillé. " * 130  # over the 2,000 characters a reason may have


def test_a_refused_suggestion_refusal_keeps_the_typed_reason_beside_its_error(client, world):
    suggestion = Suggestion.objects.create(
        kind="correction", organisation=world.member_a, description="Paniers le jeudi."
    )
    client.force_login(world.users["moderateur"])
    page = client.get(f"/moderation/{suggestion.pk}/")
    assertContains(page, f'action="/moderation/{suggestion.pk}/accepter/"')
    assertContains(page, f'<textarea id="refus-{suggestion.pk}" name="reason"')

    response = client.post(f"/moderation/{suggestion.pk}/refuser/", {"reason": TOO_LONG})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="refus-{suggestion.pk}-erreurs"' in html
    assert "au plus 2000 caractères" in html
    assert f"refus-{suggestion.pk}-aide refus-{suggestion.pk}-erreurs" in html
    assert TOO_LONG.strip() in html
    suggestion.refresh_from_db()
    assert suggestion.status == "en-attente"


def test_on_a_page_of_several_requests_only_the_one_refused_shows_its_errors(client, world):
    first, second = (
        RemovalRequest.objects.create(
            organisation=organisation, requested_by=world.users["utilisateur"], reason="Fermée."
        )
        for organisation in (world.member_a, world.member_b)
    )
    client.force_login(world.users["moderateur"])
    page = client.get("/moderation/retraits/")
    for removal in (first, second):
        assertContains(page, f'action="/moderation/retraits/{removal.pk}/accepter/"')
        assertContains(page, f'action="/moderation/retraits/{removal.pk}/refuser/"')

    response = client.post(f"/moderation/retraits/{second.pk}/refuser/", {"note": "Trop tôt."})
    assert response.status_code == 302
    response = client.post(f"/moderation/retraits/{first.pk}/refuser/", {"note": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="retrait-{first.pk}-erreurs"' in html
    assert f'id="retrait-{second.pk}-erreurs"' not in html


def test_accepting_a_claim_already_decided_says_why_on_its_page(client, world):
    claim = OrganisationClaim.objects.create(
        organisation=world.member_a,
        user=world.users["utilisateur"],
        siret="77567122500016",
        status="refusee",
        rejection_reason="SIRET d'une autre structure.",
    )
    client.force_login(world.users["moderateur"])
    response = client.post(f"/moderation/revendications/{claim.pk}/accepter/", follow=True)
    assert response.redirect_chain[-1][0] == f"/moderation/revendications/{claim.pk}/"
    assert list(response.context["messages"])
