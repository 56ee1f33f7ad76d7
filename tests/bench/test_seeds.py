"""The bench's seeds (issue 20). Its organisations get the provenance a SIRENE import writes: the
credits the API and the organisation page decide then read a real raw record and find the
source still holding every value it wrote, as after a real import."""

import pytest
from django.db import connection

from bench.map_search import THIRD_PLACE_ONE_IN, organisations_seed
from bench.places_seed import DECLARING_ONE_IN, place_services_seed
from bench.provenance_seed import provenances_seed
from cartography.models import PlaceService
from directory.models import Organisation, Provenance
from directory.records import organisation_snapshot
from directory.selectors.credit import organisation_credits_get

pytestmark = pytest.mark.django_db


def test_each_organisation_gets_one_provenance_whose_values_it_still_holds():
    organisations_seed(count=40)

    assert provenances_seed() == 40
    assert provenances_seed() == 0  # already there: nothing written twice

    organisations = list(Organisation.objects.select_related("legal_family"))
    credits = organisation_credits_get(organisations=organisations)
    for organisation in organisations:
        provenance = Provenance.objects.get(object_id=organisation.pk)
        assert provenance.source.slug == "sirene"
        assert provenance.raw["siret"] == organisation.siret
        assert provenance.imported_values == organisation_snapshot(organisation)
        [source] = credits[organisation.pk].sources
        assert {"name", "sectors"} <= source.fields
        assert ("kinds" in source.fields) == organisation.kinds.exists()
        assert ("location" in source.fields) == (organisation.location is not None)


def test_the_synthetic_directory_has_as_few_places_as_france():
    """One organisation in 55 keeps the kind tiers-lieu when it draws it (about 3,500 in a
    million, France's count); the others are drawn as before."""
    organisations_seed(count=400)

    places = Organisation.objects.filter(kinds__slug="tiers-lieu").values_list("slug", flat=True)
    indexes = [int(slug.removeprefix("bench-")) for slug in places]
    assert indexes, "index 0, 55, 110... may draw it"
    assert all(index % THIRD_PLACE_ONE_IN == 0 for index in indexes)
    # Every organisation still has its sector, and almost all a kind.
    assert Organisation.objects.filter(sectors__isnull=True).count() == 0
    assert Organisation.objects.filter(kinds__isnull=True).count() < 400 / 7


def test_half_of_the_places_say_what_they_offer_once():
    """The bench's places offer services as a running instance's do (issue 20): one
    tiers-lieu in two, one to four services of different kinds, with their conditions, and
    the search's words for them written by the database; a second call writes nothing."""
    organisations_seed(count=400)
    places = list(
        Organisation.objects.filter(kinds__slug="tiers-lieu")
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    created = place_services_seed()

    offering = set(PlaceService.objects.values_list("organisation_id", flat=True))
    assert offering, "400 organisations hold a few tiers-lieux"
    assert offering == set(places[::DECLARING_ONE_IN])
    assert created == PlaceService.objects.count()
    for place_id in offering:
        kinds = list(PlaceService.objects.filter(organisation_id=place_id).values_list("kind"))
        assert 1 <= len(kinds) <= 4
        assert len(set(kinds)) == len(kinds)
    assert not PlaceService.objects.filter(free=True).exclude(price="").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM directory_organisation WHERE place_services_vector IS NOT NULL"
        )
        assert cursor.fetchone()[0] == len(offering)
    assert place_services_seed() == 0
    assert PlaceService.objects.count() == created
