"""From an organisation's page to a recorded claim through a new account; who decides a
claim (a network only when the SIRET is the listing's or the register's); claims per day."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from directory.models import ClaimStatus, Organisation, OrganisationClaim, Provenance, Source
from tests.factories import PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db

SIREN = "775671225"
SIRET = "77567122500016"
SIBLING = "77567122500024"  # another establishment of the same company
EMAIL = "coordination@jardins-de-fives.fr"


def claim_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/revendiquer/"


def test_c_est_mon_organisation_leads_through_sign_up_to_a_recorded_claim(client, world):
    world.member_a.siren, world.member_a.siret = SIREN, SIRET
    world.member_a.save()
    page = client.get(f"/organisations/{world.member_a.slug}/")
    assertContains(page, f'href="{claim_url(world.member_a)}"')

    login = client.get(claim_url(world.member_a), follow=True)
    signup_link = f"/compte/inscription/?next={claim_url(world.member_a)}"
    assertContains(login, f'href="{signup_link}"')
    account = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    client.post(signup_link, {**account, "next": claim_url(world.member_a)})
    link = re.search(r"http://testserver(/compte/confirmer/[^/\s]+/)", mail.outbox[-1].body)[1]
    confirmed = client.post(link)
    assertRedirects(confirmed, claim_url(world.member_a))

    sent = client.post(claim_url(world.member_a), {"siret": SIRET, "message": "Je coordonne."})
    assertRedirects(sent, f"/organisations/{world.member_a.slug}/", fetch_redirect_response=False)
    claim = OrganisationClaim.objects.get()
    assert (claim.user.email, claim.organisation, claim.status) == (
        EMAIL,
        world.member_a,
        ClaimStatus.PENDING,
    )


def sirene_lists(organisation: Organisation, siret: str) -> None:
    source, _created = Source.objects.get_or_create(slug="sirene", defaults={"name": "SIRENE"})
    Provenance.objects.create(
        source=source,
        external_id=siret,
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=organisation.pk,
        content_hash="0" * 64,
        first_seen_at=timezone.now(),
        last_seen_at=timezone.now(),
    )


@pytest.fixture
def siren_only_claim(world) -> OrganisationClaim:
    """A claim of a listing that has a SIREN but no SIRET: the SIREN matches, no more."""
    world.member_a.siren = SIREN
    world.member_a.save()
    return OrganisationClaim.objects.create(
        user=world.users["utilisateur"], organisation=world.member_a, siret=SIBLING
    )


def test_a_network_cannot_decide_a_claim_matching_only_the_siren(client, world, siren_only_claim):
    client.force_login(world.users["editeur A"])
    assert world.member_a.name not in client.get("/moderation/").text
    url = f"/moderation/revendications/{siren_only_claim.pk}/accepter/"
    assert client.post(url).status_code == 403
    client.force_login(world.users["moderateur"])
    assert world.member_a.name in client.get("/moderation/").text
    client.post(url)
    siren_only_claim.refresh_from_db()
    assert siren_only_claim.status == ClaimStatus.APPROVED


def test_a_network_decides_a_claim_whose_siret_the_register_lists(client, world, siren_only_claim):
    sirene_lists(world.member_a, SIBLING)
    client.force_login(world.users["editeur A"])
    assert world.member_a.name in client.get("/moderation/").text
    client.post(f"/moderation/revendications/{siren_only_claim.pk}/accepter/")
    siren_only_claim.refresh_from_db()
    assert siren_only_claim.status == ClaimStatus.APPROVED
    assert siren_only_claim.reviewed_by == world.users["editeur A"]


def test_claims_per_person_and_day_are_limited_with_a_french_message(client, settings):
    settings.CARTESS_CLAIMS_PER_DAY = 2
    person = make_user("lou-martin")
    client.force_login(person)
    sirets = ["77567122500016", "48302957500014", "55208131766522"]
    listings = [make_organisation(f"Structure {n}", siret=s) for n, s in enumerate(sirets)]
    for listing, siret in zip(listings[:2], sirets[:2], strict=True):
        assert client.post(claim_url(listing), {"siret": siret}).status_code == 302
    response = client.post(claim_url(listings[2]), {"siret": sirets[2]})
    assertContains(response, "2 revendications ces dernières 24 heures", status_code=400)
    assertContains(response, f'value="{sirets[2]}"', status_code=400)
    assert OrganisationClaim.objects.count() == 2
