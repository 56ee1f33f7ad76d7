"""`/api/v1/directory/organisations/<slug-or-number>/`: one listing, each fact with its credit
(source, licence, date; or who typed it), as the list and the page say it."""

import pytest
from django.utils import timezone

from directory.models import PublicationStatus, Sector
from directory.services import organisation_close
from tests.directory.test_credit import listings, source  # noqa: F401 (fixtures)
from tests.factories import make_organisation
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/directory/organisations/"


def test_one_listing_by_slug_or_number_credits_each_fact(
    client,
    listings,  # noqa: F811
    django_assert_max_num_queries,
):
    jardins, _recyclerie = listings
    today = timezone.localdate().isoformat()
    with django_assert_max_num_queries(9):
        body = client.get(f"{API}{jardins.slug}/").json()
    assert body["slug"] == jardins.slug
    assert body["description"] == "Maraîchage bio en insertion."
    assert body["closed_on"] is None
    credit = body["credit"]
    assert credit["name"]["text"] == "Source : Tiers-lieux (ANCT)"
    assert credit["name"]["sources"][0]["licence"] == "Licence Ouverte 2.0"
    assert credit["name"]["sources"][0]["seen_on"] == "2026-03-14"
    assert credit["description"]["typed_by"] == {"who": "le réseau", "on": today}
    assert credit["description"]["text"].startswith("Saisi par le réseau, le ")
    assert credit["phone"]["typed_by"] == {"who": "la structure", "on": today}
    assert client.get(f"{API}{jardins.pk}/").json() == body
    # The list says the same of it.
    listed = client.get(API, {"q": ""}).json()["results"]
    assert next(item for item in listed if item["slug"] == jardins.slug)["credit"] == credit


def test_a_closed_listing_is_found_with_its_date_a_draft_or_unknown_one_is_a_json_404(
    client,
    world,  # noqa: F811
):
    closed = organisation_close(
        organisation=make_organisation("Café fermé"), closed_on=timezone.localdate()
    )
    assert client.get(f"{API}{closed.slug}/").json()["closed_on"] == str(closed.closed_on)
    draft = make_organisation("Brouillon", publication_status=PublicationStatus.DRAFT)
    for key in (draft.slug, str(draft.pk), "inconnue", "9" * 40):
        response = client.get(f"{API}{key}/")
        assert response.status_code == 404
        assert "Aucune fiche publiée" in response.json()["detail"]


def test_a_listing_nobody_edited_reads_in_two_queries(client, django_assert_num_queries):
    # The listing with its legal family, kinds and sectors in one query, then its sources;
    # no history (no person ever saved it), no kinds or sectors read apart (issue 20).
    organisation = make_organisation("Épicerie solidaire de Fives", kinds=("entreprise-ess",))
    organisation.sectors.set(Sector.objects.filter(slug="alimentation-durable"))

    with django_assert_num_queries(2):
        body = client.get(f"{API}{organisation.pk}/").json()

    assert body["slug"] == organisation.slug
    assert body["kinds"] == ["entreprise-ess"]
    assert body["sectors"] == ["alimentation-durable"]
    assert body["credit"]["kinds"]["text"] == "Saisi dans Cartess"
