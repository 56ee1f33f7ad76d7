"""The bench's organisations get the provenance a SIRENE import writes (issue 20): the
credits the API and the organisation page decide then read a real raw record and find the
source still holding every value it wrote, as after a real import."""

import pytest

from bench.map_search import organisations_seed
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
        assert {"name", "kinds", "sectors"} <= source.fields
        assert ("location" in source.fields) == (organisation.location is not None)
