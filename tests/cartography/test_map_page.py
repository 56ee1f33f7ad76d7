"""`/carte/` and the navigation, as the server renders them (the browser tests drive the JS)."""

import pytest

from cartography.models import AreaKind
from tests.factories import make_area

pytestmark = pytest.mark.django_db


def test_map_page_has_the_filters_the_list_and_the_vendor_scripts(
    client, django_assert_max_num_queries
):
    make_area(AreaKind.QPV, "QN05906M", "Lille Sud", (3.04, 50.60, 3.08, 50.615))
    with django_assert_max_num_queries(7):
        response = client.get("/carte/", {"kind": "siae", "qpv": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<input type="checkbox" name="kind" value="siae" id="kind-siae" checked>' in html
    assert 'id="id_qpv" name="qpv" value="true" checked' in html
    assert 'id="map-results"' in html
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert '<label for="id_sector">' in html


def test_navigation_links_to_the_map_and_the_directory(client):
    html = client.get("/annuaire/").content.decode()

    assert '<a href="/carte/">Carte</a>' in html
    assert '<a href="/annuaire/" aria-current="page">Annuaire</a>' in html
