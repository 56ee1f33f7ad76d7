"""A person claims their organisation with its SIRET; a moderator or its network decides."""

import pytest
from django.core import mail
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import ClaimStatus, OrganisationClaim, OrganisationEditor
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

SIREN = "775671225"
SIRET = "77567122500016"  # a valid Luhn key
SIBLING = "77567122500024"  # another establishment of the same company
OTHER = "48302957500014"  # another company


@pytest.fixture
def claimant(world):
    user = world.users["utilisateur"]
    world.member_a.siren, world.member_a.siret = SIREN, SIRET
    world.member_a.save()
    return user


def claim_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/revendiquer/"


def send(client, organisation, siret, message="Je coordonne l'association."):
    return client.post(claim_url(organisation), {"siret": siret, "message": message})


def test_a_visitor_must_sign_in_to_claim(client, world):
    response = client.get(claim_url(world.member_a))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_a_claim_with_the_right_siret_waits_for_a_decision(client, claimant, world):
    client.force_login(claimant)
    response = send(client, world.member_a, "775 671 225 00016")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{world.member_a.slug}/"
    claim = OrganisationClaim.objects.get()
    assert (claim.user, claim.organisation, claim.siret) == (claimant, world.member_a, SIRET)
    assert claim.status == ClaimStatus.PENDING


@pytest.mark.parametrize(
    ("siret", "error"),
    [
        ("1234", "Un SIRET compte 14 chiffres."),
        ("7756712250001A", "Un SIRET compte 14 chiffres."),
        ("77567122500017", "sa clé de contrôle est fausse"),
        (SIBLING, "Ce SIRET n&#x27;est pas celui de la fiche"),
        (OTHER, "Ce SIRET n&#x27;est pas celui de la fiche"),
    ],
)
def test_a_wrong_siret_is_refused_in_french(client, claimant, world, siret, error):
    client.force_login(claimant)
    response = send(client, world.member_a, siret)
    assertContains(response, error, status_code=400)
    # What was typed stays in the form, to be corrected rather than typed again.
    assertContains(response, f'value="{siret}"', status_code=400)
    assertContains(response, "Je coordonne l&#x27;association.</textarea>", status_code=400)
    assert not OrganisationClaim.objects.exists()


def test_without_a_siret_the_siren_of_the_listing_must_match(client, world):
    client.force_login(world.users["utilisateur"])
    company = make_organisation("Coopérative Le Fil", siren=SIREN)
    assertContains(send(client, company, OTHER), "entreprise (SIREN 775671225)", status_code=400)
    assert send(client, company, SIBLING).status_code == 302
    assert OrganisationClaim.objects.get().organisation == company


def test_a_listing_without_any_identifier_cannot_be_claimed_yet(client, world):
    client.force_login(world.users["utilisateur"])
    response = send(client, world.member_b, OTHER)
    assertContains(response, "ni SIRET ni SIREN", status_code=400)


def test_a_second_pending_claim_by_the_same_person_is_refused(client, claimant, world):
    client.force_login(claimant)
    send(client, world.member_a, SIRET)
    response = send(client, world.member_a, SIRET)
    assertContains(response, "déjà une revendication en attente", status_code=400)
    assert OrganisationClaim.objects.count() == 1


def test_the_claim_reaches_the_moderators_and_the_members_network_only(client, claimant, world):
    OrganisationClaim.objects.create(user=claimant, organisation=world.member_a, siret=SIRET)
    for role, sees in (("moderateur", True), ("editeur A", True), ("editeur B", False)):
        client.force_login(world.users[role])
        response = client.get("/moderation/")
        assert (world.member_a.name in response.text) is sees, role


def test_approval_lets_the_claimant_edit_that_listing_only(client, claimant, world):
    claim = OrganisationClaim.objects.create(
        user=claimant, organisation=world.member_a, siret=SIRET
    )
    client.force_login(world.users["editeur A"])
    response = client.post(f"/moderation/revendications/{claim.pk}/accepter/")
    assert response["Location"] == "/moderation/"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.reviewed_by == world.users["editeur A"]
    assert claim.history.first().history_user == world.users["editeur A"]
    assert OrganisationEditor.objects.filter(user=claimant, organisation=world.member_a).exists()
    assert mail.outbox[-1].to == [claimant.email]
    assert "acceptée" in mail.outbox[-1].body

    client.force_login(claimant)
    form = {"description": "Maraîchage bio en insertion.", "sectors": []}
    edit = client.post(f"/organisations/{world.member_a.slug}/modifier/", form)
    assert edit.status_code == 302
    world.member_a.refresh_from_db()
    assert world.member_a.description == "Maraîchage bio en insertion."
    assert client.get(f"/organisations/{world.member_b.slug}/modifier/").status_code == 403


def test_a_refusal_needs_a_reason_which_is_emailed(client, claimant, world):
    claim = OrganisationClaim.objects.create(
        user=claimant, organisation=world.member_a, siret=SIRET
    )
    client.force_login(world.users["moderateur"])
    url = f"/moderation/revendications/{claim.pk}/refuser/"
    assertContains(client.post(url, {"reason": ""}), "Ce champ est obligatoire", status_code=400)
    response = client.post(url, {"reason": "Personne inconnue de l'association."})
    assert response["Location"] == "/moderation/"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert not OrganisationEditor.objects.exists()
    assert "Personne inconnue de l'association." in mail.outbox[-1].body


def test_nobody_decides_on_their_own_claim(client, world):
    moderator = world.users["moderateur"]
    claim = OrganisationClaim.objects.create(
        user=moderator, organisation=world.member_a, siret=SIRET
    )
    client.force_login(moderator)
    client.post(f"/moderation/revendications/{claim.pk}/accepter/")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_the_claim_message_is_never_rendered_as_html(client, claimant, world):
    claim = OrganisationClaim.objects.create(
        user=claimant,
        organisation=world.member_a,
        siret=SIRET,
        message="<script>alert('x')</script>",
    )
    client.force_login(world.users["moderateur"])
    response = client.get(f"/moderation/revendications/{claim.pk}/")
    assertNotContains(response, "<script>alert")
    assertContains(response, "&lt;script&gt;")
