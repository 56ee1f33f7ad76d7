"""The QPV filter (directory, map API, filter panels): in a QPV when the point lies in a
loaded QPV outline OR the source gave a QPV code (SIRENE's `plg_qp24`); without outlines,
the coded ones with a plain notice; with neither, "couche QPV non chargée"."""

import pytest

from cartography.models import AreaKind
from directory.areas import area_kinds_loaded_get
from directory.filters import QPV_CODES
from tests.factories import FIVES, MOULINS, east_of, make_area, make_organisation, square_around

pytestmark = pytest.mark.django_db

CODES_ONLY = "QPV : contours non chargés"


@pytest.fixture
def coded():
    """One établissement SIRENE places in Moulins' QPV, one nobody places in a QPV."""
    make_organisation("Régie de Moulins", location=MOULINS.clone(), qpv_code="QN05906M")
    make_organisation("Loin de tout", location=east_of(FIVES, 3000))


def test_the_loaded_kinds_say_when_codes_are_known(coded, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert area_kinds_loaded_get() == {QPV_CODES}


def test_without_outlines_the_directory_lists_the_coded_ones_and_says_so(
    client, coded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/annuaire/", {"qpv": "true"})

    html = response.content.decode()
    results = html.split('id="titre-resultats"')[1]
    assert "Régie de Moulins" in results
    assert "Loin de tout" not in results
    assert CODES_ONLY in results
    assert "couche non chargée" not in results
    # The filter is offered, with what it can know.
    assert 'name="qpv" value="true" checked aria-describedby="qpv-codes-only"' in html


def test_without_outlines_the_map_api_answers_the_coded_ones_with_a_notice(client, coded):
    response = client.get("/api/v1/organisations/", {"qpv": "true"})

    assert response.status_code == 200
    collection = response.json()
    names = [feature["properties"]["name"] for feature in collection["features"]]
    assert names == ["Régie de Moulins"]
    assert collection["avertissement"].startswith(CODES_ONLY)


def test_with_outlines_a_point_inside_or_a_code_both_count(client, coded):
    make_area(AreaKind.QPV, "QN05901M", "Fives", square_around(FIVES, 400))
    make_organisation("Régie de Fives", location=FIVES.clone())

    collection = client.get("/api/v1/organisations/", {"qpv": "true"}).json()
    names = sorted(feature["properties"]["name"] for feature in collection["features"])
    html = client.get("/annuaire/", {"qpv": "true"}).content.decode()

    assert names == ["Régie de Fives", "Régie de Moulins"]
    assert "avertissement" not in collection
    assert CODES_ONLY not in html


def test_with_neither_outlines_nor_codes_the_layer_is_said_missing(client):
    make_organisation("Loin de tout", location=east_of(FIVES, 3000))

    assert client.get("/api/v1/organisations/", {"qpv": "true"}).status_code == 409
    html = client.get("/annuaire/", {"qpv": "true"}).content.decode()
    assert "QPV : couche non chargée" in html
    assert CODES_ONLY not in html


def test_the_directory_api_says_what_it_cannot_know(client, coded):
    """The directory API answers as the page: the coded ones with the notice beside them
    without outlines, and 409 "couche non chargée" with neither outlines nor codes."""
    answer = client.get("/api/v1/directory/organisations/", {"qpv": "true"}).json()
    assert [item["name"] for item in answer["results"]] == ["Régie de Moulins"]
    assert answer["avertissement"].startswith(CODES_ONLY)
    everyone = client.get("/api/v1/directory/organisations/").json()
    assert "avertissement" not in everyone


def test_the_directory_api_refuses_a_qpv_filter_with_nothing_loaded(client):
    make_organisation("Loin de tout", location=FIVES)
    response = client.get("/api/v1/directory/organisations/", {"qpv": "true"})
    assert response.status_code == 409
    assert response.json()["couche_non_chargee"] is True
    assert "non chargée" in response.json()["erreur"]


def test_ogc_items_say_what_they_cannot_know(client, coded):
    """OGC API Features, as the map: the coded ones, with the notice as a foreign member."""
    page = client.get("/ogc/collections/organisations/items", {"qpv": "true"}).json()
    assert [item["properties"]["name"] for item in page["features"]] == ["Régie de Moulins"]
    assert page["avertissement"].startswith(CODES_ONLY)
    assert "avertissement" not in client.get("/ogc/collections/organisations/items").json()
