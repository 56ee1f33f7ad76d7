"""The 10 nearest organisations from the directory API (`limit`, issue 20): one small page
read nearest first, its bounds refused in French, documented in the OpenAPI schema."""

import pytest

from directory.limits import LIST_MAX_LIMIT
from tests.factories import LILLE_CENTRE, east_of, make_organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/directory/organisations/"
NEAR = {"sort": "distance", "lat": LILLE_CENTRE.y, "lon": LILLE_CENTRE.x}


@pytest.fixture
def around():
    """Twelve organisations 100 m, 200 m ... 1.2 km east of the Grand'Place, created out of
    order, and one without a point."""
    for step in (7, 3, 12, 1, 9, 5, 11, 2, 8, 4, 10, 6):
        make_organisation(f"Atelier à {step * 100} m", location=east_of(LILLE_CENTRE, step * 100))
    make_organisation("Association sans adresse")


def test_limit_gives_the_nearest_in_order(client, around, django_assert_max_num_queries):
    # The page nearest first with its count (one query, issue 20), the organisations with
    # their kinds and sectors and whether a person ever saved them (one: the credits find
    # them loaded), the provenances, and the content type Django caches after a process's
    # first request; no history, since nobody typed any of them.
    with django_assert_max_num_queries(4) as queries:
        response = client.get(URL, {**NEAR, "limit": 10})

    assert response.status_code == 200, response.content
    assert not any("row_number() OVER" in q["sql"] for q in queries.captured_queries)
    body = response.json()
    assert [o["name"] for o in body["results"]] == [
        f"Atelier à {step * 100} m" for step in range(1, 11)
    ]
    assert body["count"] == 13
    assert body["pages"] == 2


def test_limit_pages_through_the_rest(client, around):
    body = client.get(URL, {**NEAR, "limit": 10, "page": 2}).json()

    assert [o["name"] for o in body["results"]] == [
        "Atelier à 1100 m",
        "Atelier à 1200 m",
        "Association sans adresse",
    ]


def test_without_limit_the_page_stays_at_50(client, around):
    body = client.get(URL, NEAR).json()

    assert len(body["results"]) == 13
    assert body["pages"] == 1


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (0, "« limit » doit valoir au moins 1."),
        (LIST_MAX_LIMIT + 1, f"Trop de résultats demandés : {LIST_MAX_LIMIT} au plus par page."),
        ("dix", "« limit » doit être un nombre entier."),
    ],
)
def test_a_limit_out_of_bounds_is_refused_in_french(client, limit, message):
    response = client.get(URL, {**NEAR, "limit": limit})

    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_the_depth_bound_counts_with_the_limit(client):
    response = client.get(URL, {"limit": 100, "page": 101})

    assert response.status_code == 400
    assert "Cette page est trop loin" in response.json()["erreur"]
    assert client.get(URL, {"limit": 10, "page": 101}).status_code == 404  # no such page here


def test_limit_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}
    assert "10 plus proches" in parameters["limit"]["description"]
    assert parameters["limit"]["schema"]["anyOf"][0]["type"] == "integer"  # or empty
