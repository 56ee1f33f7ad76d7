"""The bench's organisations get the provenance a SIRENE import writes (issue 20): the
credits the API and the organisation page decide then read a real raw record and find the
source still holding every value it wrote, as after a real import."""

import pytest

from bench.map_search import THIRD_PLACE_ONE_IN, organisations_seed
from bench.provenance_seed import provenances_seed
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
