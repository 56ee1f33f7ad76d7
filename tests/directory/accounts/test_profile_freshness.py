"""The owner's account page shows each owned listing's freshness and lets them confirm it is
still right, as network editors do on the listing's page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from directory.models import Organisation, OrganisationEditor
from directory.services import organisation_close
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(world):
    """The owner of Les Jardins de Fives (verified 400 days ago: "à actualiser") and of a
    café that closed."""
    person = world.users["utilisateur"]
    stale = timezone.localdate() - timedelta(days=400)
    Organisation.objects.filter(pk=world.member_a.pk).update(last_verified_on=stale)
    closed = organisation_close(
        organisation=make_organisation("Café du Vieux-Lille"), closed_on=date(2025, 3, 3)
    )
    for listing in (world.member_a, closed):
        OrganisationEditor.objects.create(user=person, organisation=listing)
    return person, closed


def test_the_owner_sees_the_freshness_and_confirms_from_the_account_page(
    client, world, owner, django_assert_max_num_queries
):
    person, closed = owner
    client.force_login(person)
    with django_assert_max_num_queries(12):
        page = client.get("/compte/")
    assertContains(page, "À actualiser")
    assertContains(page, "Confirmer que tout est à jour")
    confirm_url = f"/organisations/{world.member_a.slug}/confirmer/"
    assertContains(page, f'action="{confirm_url}"')
    assertContains(page, "Fermée le 3 mars 2025 : rien à confirmer.")
    assertNotContains(page, f'action="/organisations/{closed.slug}/confirmer/"')

    response = client.post(confirm_url, {"next": "/compte/"})
    assertRedirects(response, "/compte/", fetch_redirect_response=False)
    world.member_a.refresh_from_db()
    assert world.member_a.last_verified_on == timezone.localdate()
    after = client.get("/compte/")
    assertContains(after, "la fiche Les Jardins de Fives est confirmée à jour aujourd")
    assertContains(after, "Fiche confirmée à jour le")
    assertContains(after, "À jour")
    last = world.member_a.history.first()
    assert last.history_user == person


def test_confirming_someone_elses_listing_is_refused_and_next_goes_nowhere_else(
    client, world, owner
):
    person, _closed = owner
    client.force_login(person)
    refused = client.post(f"/organisations/{world.member_b.slug}/confirmer/", {"next": "/compte/"})
    assert refused.status_code == 403
    response = client.post(
        f"/organisations/{world.member_a.slug}/confirmer/", {"next": "https://evil.example/"}
    )
    assertRedirects(response, f"/organisations/{world.member_a.slug}/")
