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
