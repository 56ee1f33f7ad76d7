"""`/parcours/` with a long answer: each list shows its first cards and links to the rest
(`?show=<list>`), which then opens whole at its heading, focused (issue 20)."""

import re

import pytest

from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/parcours/"


def cards(html: str, heading: str) -> list[str]:
    """The names of the cards under `heading` (an id), up to the next list."""
    start = html.index(f'id="{heading}"')
    section = html[start : html.find("</section>", start)]
    return re.findall(r'class="pathway-item__name"><a href="[^"]*">([^<]*)</a>', section)


def more_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="pathway-more no-print"><a href="([^"]*)">([^<]*)</a>', html)


@pytest.fixture
def many_now():
    """31 schemes at amorçage: one more than a list of 20 shows whole (20 + 10)."""
    for n in range(31):
        scheme(f"Fonds d'amorçage n°{n:02}")


def test_a_long_list_shows_its_first_cards_and_links_to_the_rest(client, many_now):
    html = client.get(URL, {"stage": "amorcage"}).content.decode()
    assert "Financements possibles maintenant (31)" in html
    assert cards(html, "titre-financements") == [
        f"Fonds d&#x27;amorçage n°{n:02}" for n in range(20)
    ]
    assert more_links(html) == [
        (
            "?stage=amorcage&amp;show=financements#titre-financements",
            "Afficher les 11 autres financements possibles",
        )
    ]
    # The printout still says how many it leaves out of the whole list.
    assert "15 autres résultats sur http://testserver/parcours/?stage=amorcage" in html
    assert '<h2 id="resultats" tabindex="-1" data-focus-on-load>' in html


def test_the_link_opens_the_whole_list_at_its_focused_heading(client, many_now):
    html = client.get(URL, {"stage": "amorcage", "show": "financements"}).content.decode()
    assert len(cards(html, "titre-financements")) == 31
    assert more_links(html) == []
    assert 'id="titre-financements" tabindex="-1" data-focus-on-load>' in html
    assert '<h2 id="resultats" tabindex="-1">' in html


def test_a_list_at_most_half_as_long_again_is_shown_whole(client):
    for n in range(30):
        scheme(f"Fonds d'amorçage n°{n:02}")
    html = client.get(URL, {"stage": "amorcage"}).content.decode()
    assert len(cards(html, "titre-financements")) == 30
    assert more_links(html) == []


def test_the_road_ahead_and_the_excluded_are_cut_and_opened_the_same_way(client):
    for n in range(16):
        scheme(f"Prêt de consolidation n°{n:02}", stages=("consolidation",))
    for n in range(31):
        scheme(f"Appel clos n°{n:02}", closes_on="2022-12-31", recurrence="ponctuelle")
    html = client.get(URL, {"stage": "amorcage"}).content.decode()
    assert len(cards(html, "etape-consolidation")) == 10
    assert len(cards(html, "titre-ecartes")) == 20
    assert '<details class="pathway-excluded">' in html
    assert [text for _, text in more_links(html)] == [
        "Afficher les 6 autres dispositifs de l'étape consolidation / développement",
        "Afficher les 11 autres dispositifs écartés",
    ]

    both = {"stage": "amorcage", "show": ["suite-consolidation", "ecartes"]}
    html = client.get(URL, both).content.decode()
    assert len(cards(html, "etape-consolidation")) == 16
    assert len(cards(html, "titre-ecartes")) == 31
    assert '<details class="pathway-excluded" open>' in html
    # The list asked last takes the focus.
    assert '<summary id="titre-ecartes" data-focus-on-load>' in html
    assert 'id="etape-consolidation" tabindex="-1">' in html


def test_unknown_and_repeated_show_values_are_dropped_from_the_links(client, many_now):
    for n in range(16):
        scheme(f"Prêt de consolidation n°{n:02}", stages=("consolidation",))
    query = {"stage": "amorcage", "show": ["inconnu", "suite-consolidation", "suite-consolidation"]}
    response = client.get(URL, query)
    assert response.status_code == 200
    assert more_links(response.content.decode()) == [
        (
            "?stage=amorcage&amp;show=suite-consolidation&amp;show=financements#titre-financements",
            "Afficher les 11 autres financements possibles",
        )
    ]


def test_a_whole_list_takes_no_more_queries(client, many_now, django_assert_max_num_queries):
    client.get(URL, {"stage": "amorcage"})  # warm: content types, vocabulary
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"stage": "amorcage", "show": "financements"})
    assert response.status_code == 200
