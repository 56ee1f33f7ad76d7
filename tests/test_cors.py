"""CORS (issue 18): any site's script may read the public API, the OGC API and the tiles by
GET, without cookies; pages and writes get no CORS headers."""

import pytest

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.apes-hdf.org"


@pytest.mark.parametrize(
    "url", ["/api/v1/areas/", "/ogc/collections", "/tiles/organisations/0/0/0.pbf"]
)
def test_public_read_api_allows_any_origin(client, url):
    answer = client.get(url, headers={"Origin": ORIGIN})
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer


def test_preflight_allows_get_only(client):
    answer = client.options(
        "/ogc/collections",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "authorization" not in answer["Access-Control-Allow-Headers"]


def test_pages_get_no_cors(client):
    answer = client.get("/carte/", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in answer
