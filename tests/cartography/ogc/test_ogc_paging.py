"""Paging of OGC items at any depth (issue 20): `next` and `prev` links carry a cursor (the
id the page starts after or before), numberMatched is counted only while cheap, a deep
`offset` without a cursor is refused in French."""

from urllib.parse import parse_qs, urlsplit

import pytest

from cartography.ogc import params, selectors
from directory.models import PublicationStatus
from tests.factories import FIVES, make_organisation, make_premises

pytestmark = pytest.mark.django_db

ITEMS = "/ogc/collections/{}/items"
NAMES = [f"Structure {number:02d}" for number in range(7)]


@pytest.fixture
def seven(db):
    return [make_organisation(name, location=FIVES.clone()) for name in NAMES]


def _link(page: dict, rel: str) -> str | None:
    hrefs = [link["href"] for link in page["links"] if link["rel"] == rel]
    return hrefs[0] if hrefs else None


def _names(page: dict) -> list[str]:
    return [feature["properties"]["name"] for feature in page["features"]]


def test_walking_next_links_reads_every_feature_once_with_a_cursor(client, seven):
    page = client.get(ITEMS.format("organisations"), {"limit": 3}).json()
    seen = _names(page)
    while next_href := _link(page, "next"):
        assert "after" in parse_qs(urlsplit(next_href).query)
        page = client.get(next_href).json()
        seen += _names(page)
    assert seen == NAMES  # id order: no feature skipped or repeated
    assert page["numberReturned"] == 1  # the last page: 7 = 3 + 3 + 1, no empty page after


def test_prev_link_goes_back_to_the_same_features(client, seven):
    first = client.get(ITEMS.format("organisations"), {"limit": 3}).json()
    assert _link(first, "prev") is None
    second = client.get(_link(first, "next")).json()
    back = client.get(_link(second, "prev")).json()
    assert _names(back) == _names(first) == NAMES[:3]
    assert "before" in parse_qs(urlsplit(_link(second, "prev")).query)
    assert _link(back, "prev") is None  # nothing before the first feature
    assert _names(client.get(_link(back, "next")).json()) == NAMES[3:6]


def test_html_pages_follow_the_same_cursors(client, seven):
    answer = client.get(ITEMS.format("organisations"), {"limit": 3, "f": "html"})
    text = answer.content.decode()
    assert "3 entités affichées sur 7." in text
    assert 'rel="next"' in text
    assert "after=" in text


def test_number_matched_is_left_out_beyond_its_bound(client, seven, monkeypatch):
    monkeypatch.setattr(selectors, "MATCHED_MAX", 5)
    page = client.get(ITEMS.format("organisations"), {"limit": 2}).json()
    assert "numberMatched" not in page
    assert page["numberReturned"] == 2
    monkeypatch.setattr(selectors, "MATCHED_MAX", 7)
    assert client.get(ITEMS.format("organisations")).json()["numberMatched"] == 7


def test_text_search_is_counted_only_within_its_first_page(client, seven):
    full = client.get(ITEMS.format("organisations"), {"q": "structure", "limit": 3}).json()
    assert "numberMatched" not in full
    assert full["numberReturned"] == 3
    whole = client.get(ITEMS.format("organisations"), {"q": "structure", "limit": 10}).json()
    assert (whole["numberMatched"], whole["numberReturned"]) == (7, 7)


def test_deep_offset_without_cursor_is_refused_in_french(client, seven):
    answer = client.get(ITEMS.format("organisations"), {"offset": params.MAX_OFFSET + 1})
    assert answer.status_code == 400
    assert "suivez les liens" in answer.json()["description"]
    deep = client.get(
        ITEMS.format("organisations"), {"offset": params.MAX_OFFSET + 1, "after": seven[4].pk}
    )
    assert deep.status_code == 200  # the offset of a cursor's page only numbers it
    assert _names(deep.json()) == NAMES[5:]


def test_after_and_before_together_read_the_features_between(client, seven):
    """The OpenAPI lets a client send both cursors (schemathesis does): the features of id
    between them, in id order, with a next link while some remain."""
    query = {"after": seven[1].pk, "before": seven[5].pk, "limit": 2}
    page = client.get(ITEMS.format("organisations"), query).json()
    assert _names(page) == NAMES[2:4]
    assert _names(client.get(_link(page, "next")).json()) == NAMES[4:5]  # still below before
    whole = client.get(ITEMS.format("organisations"), {**query, "limit": 10}).json()
    assert _names(whole) == NAMES[2:5]
    assert _link(whole, "next") is None


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"after": "abc"}, "after doit être l'identifiant"),
        ({"before": "-3"}, "before doit être l'identifiant"),
    ],
)
def test_bad_cursors_answer_400(client, query, words):
    answer = client.get(ITEMS.format("organisations"), query)
    assert answer.status_code == 400
    assert words in answer.json()["description"]


def test_premises_page_with_cursors_too(client):
    for name in ("Friche A", "Friche B", "Friche C"):
        make_premises(name, publication_status=PublicationStatus.PUBLISHED)
    first = client.get(ITEMS.format("premises"), {"limit": 2}).json()
    rest = client.get(_link(first, "next")).json()
    assert (first["numberMatched"], rest["numberReturned"]) == (3, 1)
    assert _link(rest, "next") is None
    assert rest["features"][0]["id"] > first["features"][-1]["id"]


def test_a_cursor_page_is_one_statement(client, seven, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        page = client.get(ITEMS.format("organisations"), {"limit": 2, "after": seven[1].pk})
    assert _names(page.json()) == NAMES[2:4]
