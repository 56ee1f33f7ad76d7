"""`/financements/` with many schemes: the matrix stays whole; on a phone, each stage's list
shows its first schemes and links to the rest (`?show=etape-<stage>`), which then opens whole
at its heading, focused (issue 20)."""

import re

import pytest

from tests.directory.pathway.test_pathway_long import more_links
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/financements/"


def stage_list(html: str, slug: str) -> str:
    """The list by stage of `slug`, up to the next stage's heading."""
    start = html.index(f'<h3 id="etape-{slug}"')
    end = html.find('<h3 id="etape-', start + 1)
    return html[start : end if end > 0 else html.index('id="titre-echelle"')]


def names(section: str) -> list[str]:
    return re.findall(r'<li>\s*<a href="[^"]*">([^<]*)</a>', section)


@pytest.fixture
def many_seed_schemes():
    """31 schemes at amorçage, 3 at consolidation: one more than a list of 20 shows whole."""
    for n in range(31):
        scheme(f"Fonds d'amorçage n°{n:02}")
    for n in range(3):
        scheme(f"Prêt de consolidation n°{n}", stages=("consolidation",), instruments=("pret",))


def test_each_stage_shows_its_first_schemes_and_links_to_the_rest(client, many_seed_schemes):
    html = client.get(URL).content.decode()
    seed = stage_list(html, "amorcage")
    assert "(31 dispositifs)" in seed
    assert names(seed) == [f"Fonds d&#x27;amorçage n°{n:02}" for n in range(20)]
    assert len(names(stage_list(html, "consolidation"))) == 3
    assert more_links(html) == [
        (
            "?show=etape-amorcage#etape-amorcage",
            "Afficher les 11 autres dispositifs de l'étape amorçage",
        )
    ]
    # The matrix is whole: every scheme has its row.
    assert html.count('<th scope="row">') == 34
    assert "34 dispositifs de financement" in html
    assert "data-focus-on-load" not in html


def test_the_link_opens_the_stage_whole_at_its_focused_heading(client, many_seed_schemes):
    html = client.get(URL, {"show": "etape-amorcage"}).content.decode()
    assert len(names(stage_list(html, "amorcage"))) == 31
    assert more_links(html) == []
    assert '<h3 id="etape-amorcage" tabindex="-1" data-focus-on-load>' in html


def test_the_link_keeps_the_filters_and_the_feed_drops_it(client, many_seed_schemes):
    html = client.get(URL, {"instrument": "subvention", "show": "nope"}).content.decode()
    assert more_links(html)[0][0] == (
        "?instrument=subvention&amp;show=etape-amorcage#etape-amorcage"
    )
    opened = client.get(URL, {"instrument": "subvention", "show": "etape-amorcage"})
    assert 'href="/financements/flux.atom?instrument=subvention"' in opened.content.decode()


def test_a_list_at_most_half_as_long_again_is_shown_whole(client):
    for n in range(30):
        scheme(f"Fonds d'amorçage n°{n:02}")
    html = client.get(URL).content.decode()
    assert len(names(stage_list(html, "amorcage"))) == 30
    assert more_links(html) == []


def test_in_english_the_link_names_the_stage(client, many_seed_schemes):
    html = client.get("/en/financements/").content.decode()
    assert [text for _, text in more_links(html)] == ["Show the 11 other schemes at the seed stage"]


def test_opening_a_stage_takes_no_more_queries(
    client, many_seed_schemes, django_assert_num_queries
):
    client.get(URL)  # warm: content types
    with django_assert_num_queries(10):
        assert client.get(URL, {"show": "etape-amorcage"}).status_code == 200
