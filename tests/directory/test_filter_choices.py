"""The filter panels of `/annuaire/` and `/carte/` (issue 20): every choice read in one
query, in the order the taxonomies and quartiers had when read one by one."""

import pytest

from cartography.models import AreaKind
from directory.models import LegalFamily, OrganisationKind, Sector, Stage
from directory.selectors import organisation_filter_choices_get
from tests.factories import make_area

pytestmark = pytest.mark.django_db


def test_every_choice_in_one_query_in_taxonomy_order(django_assert_num_queries):
    make_area(AreaKind.QUARTIER, "59350-9", "Wazemmes", (3.04, 50.62, 3.06, 50.63))
    make_area(AreaKind.QUARTIER, "59350-4", "Fives", (3.08, 50.62, 3.10, 50.64))
    with django_assert_num_queries(1):
        choices = organisation_filter_choices_get()

    def taxonomy(model):
        return list(model.objects.values_list("slug", "name"))

    assert choices.kinds == taxonomy(OrganisationKind)
    assert ("financeur", "Financeur") in choices.kinds
    assert choices.sectors == taxonomy(Sector)
    assert choices.stages == taxonomy(Stage)
    assert choices.legal_families == taxonomy(LegalFamily)
    assert choices.quartiers == [("fives", "Fives"), ("wazemmes", "Wazemmes")]
    assert choices.quartiers_loaded
    assert not choices.qpv_loaded


def test_without_areas_the_layers_are_said_missing(client):
    html = client.get("/annuaire/").content.decode()

    assert "Quartiers : couche non chargée" in html
    assert "QPV : couche non chargée" in html


@pytest.mark.parametrize(("url", "queries"), [("/annuaire/", 2), ("/carte/", 1)])
def test_the_pages_read_their_filters_once(client, django_assert_num_queries, url, queries):
    # Were 7 and 6: five taxonomy and area reads of the filter panel, one of the loaded
    # layers; the directory's other query is its page of organisations.
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
