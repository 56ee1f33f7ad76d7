"""Expensive parameters are refused with a clear 400 in French (directory.limits, issue 20):
a long search, a page too deep, a map extent too wide; every endpoint that takes them."""

import pytest

from directory.limits import LIST_MAX_ROWS, SEARCH_MAX_CHARS, SEARCH_MAX_WORDS
from tests.directory.pathway.test_pathway_page import JOURNEY, landscape  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

LONG = "a" * (SEARCH_MAX_CHARS + 1)
WORDY = " ".join(["jardin"] * (SEARCH_MAX_WORDS + 1))
LILLE = "3.0,50.6,3.1,50.7"


def refusal(response) -> str:
    assert response.status_code == 400, response.content
    return response.content.decode()


@pytest.mark.parametrize(
    "url", ["/annuaire/", "/api/v1/directory/organisations/", "/api/v1/organisations/"]
)
def test_a_long_search_is_refused_with_the_bound(client, url):
    assert "La recherche est trop longue" in refusal(client.get(url, {"q": LONG}))
    assert "trop de mots : 12 au plus" in refusal(client.get(url, {"q": WORDY}))


def test_the_directory_page_keeps_the_long_search_in_its_box(client):
    html = refusal(client.get("/annuaire/", {"q": WORDY}))
    assert f'value="{WORDY}"' in html


def test_a_search_at_the_bound_is_answered(client):
    text = " ".join(["jardin"] * SEARCH_MAX_WORDS)
    assert client.get("/api/v1/directory/organisations/", {"q": text}).status_code == 200


def test_the_directory_page_refuses_a_page_beyond_the_window(client):
    deepest = LIST_MAX_ROWS // 20
    assert "Cette page est trop loin" in refusal(client.get("/annuaire/", {"page": deepest + 1}))
    assert client.get("/annuaire/", {"page": deepest}).status_code == 404  # no such page here


def test_the_directory_api_refuses_a_page_beyond_the_window(client):
    deepest = LIST_MAX_ROWS // 50
    response = client.get("/api/v1/directory/organisations/", {"page": deepest + 1})
    assert "Cette page est trop loin" in response.json()["erreur"]
    assert response.status_code == 400
    assert client.get("/api/v1/directory/organisations/", {"page": 1}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/funding-schemes/", "/api/v1/support-offers/"])
def test_the_funding_apis_refuse_deep_offsets_and_huge_limits(client, url):
    deep = client.get(url, {"offset": LIST_MAX_ROWS})
    assert deep.status_code == 400
    assert "Cette page est trop loin" in deep.json()["erreur"]
    huge = client.get(url, {"limit": 1000})
    assert huge.status_code == 400
    assert "100 au plus par page" in huge.json()["erreur"]
    assert client.get(url, {"offset": 100, "limit": 100}).status_code == 200


def test_the_map_api_refuses_an_extent_wider_than_the_bound(client):
    response = client.get("/api/v1/organisations/", {"bbox": "-180,-60,180,80"})
    assert "L'emprise demandée est trop grande : 40 degrés" in response.json()["erreur"]
    assert response.status_code == 400
    assert client.get("/api/v1/organisations/", {"bbox": LILLE}).status_code == 200


def test_the_map_page_knows_the_bound_it_clips_its_extent_to(client):
    assert '"bboxMaxDegrees": 40' in client.get("/carte/").content.decode()


def test_the_pathway_api_refuses_a_long_address(client, landscape):  # noqa: F811
    response = client.get("/api/v1/pathway/", {**JOURNEY, "address": LONG})
    assert response.status_code == 400
    assert "200 caractères" in response.json()["erreur"]
