"""`/annuaire/` as served: the filter panel's summary counts the filters that apply."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({}, "Filtres</summary>"),
        ({"q": "vélo"}, "(1 actif)</span></summary>"),
        ({"q": "vélo", "kind": "siae,reseau", "qpv": "true"}, "(4 actifs)</span></summary>"),
        ({"sector": "culture", "quartier": "fives"}, "(2 actifs)</span></summary>"),
    ],
)
def test_the_filter_panel_says_how_many_filters_apply(client, query, label):
    html = client.get("/annuaire/", query).content.decode()

    assert '<details class="filters-panel" id="filters-panel" open>' in html
    assert label in html
    assert "{#" not in html
    assert "{% comment" not in html


@pytest.mark.parametrize(
    "query",
    [
        "page=999999999999999999999",
        "page=-1",
        "page=abc",
        "lat=999&lon=abc&sort=distance",
    ],
)
def test_an_absurd_page_or_parameter_is_answered_not_a_server_error(client, query):
    client.raise_request_exception = False
    response = client.get(f"/annuaire/?{query}")
    assert response.status_code in (200, 400, 404)
    assert "Annuaire" in response.content.decode()
