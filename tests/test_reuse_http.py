"""HTTP for reusers (issue 18): ETag and 304, Cache-Control and gzip on the API and the
exports, and none of it on the HTML pages (config/reuse_http.py)."""

import gzip
import json

import mercantile
import pytest

from tests.factories import make_funding_scheme, make_organisation, make_user

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/api/v1/organisations/",
    "/api/v1/funding-schemes/",
    "/annuaire/export.csv",
    "/annuaire/export.geojson",
]


@pytest.fixture
def data(moulins_point):
    for number in range(5):
        make_organisation(f"Coopérative {number}", location=moulins_point)
        make_funding_scheme(f"Fonds {number}")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_repeated_request_with_the_etag_is_a_304(client, data, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in first["Vary"]
    etag = first["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"if-none-match": '"autre"'}).status_code == 200


def test_the_etag_changes_with_the_data(client, data, moulins_point):
    etag = client.get("/annuaire/export.csv")["ETag"]
    make_organisation("Régie de quartier", location=moulins_point)
    answer = client.get("/annuaire/export.csv", headers={"if-none-match": etag})
    assert answer.status_code == 200
    assert "Régie de quartier" in answer.content.decode("utf-8-sig")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_gzip_when_the_client_asks(client, data, url):
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    zipped = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    # The weak ETag of the compressed body still answers 304.
    again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": zipped["ETag"]})
    assert again.status_code == 304


def test_geojson_decompressed_is_the_same_collection(client, data):
    zipped = client.get("/api/v1/organisations/", headers={"accept-encoding": "gzip"})
    collection = json.loads(gzip.decompress(zipped.content))
    assert len(collection["features"]) == 5


def test_behind_login_nothing_is_stored(client, data):
    client.force_login(make_user("camille"))
    answer = client.get("/api/v1/organisations/")
    assert answer["Cache-Control"] == "private, no-store"


def test_a_staff_export_is_never_stored(client, data):
    client.force_login(make_user("staff", is_staff=True, is_superuser=True))
    answer = client.get("/foncier/export.csv")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"


def test_html_pages_are_neither_compressed_nor_given_an_etag(client, data):
    # BREACH: a page with a CSRF token is never compressed by the application.
    page = client.get("/annuaire/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200
    assert "Content-Encoding" not in page
    assert "ETag" not in page


def test_the_browsable_api_page_is_not_compressed(client, data):
    # DRF's HTML page of an API answer holds a CSRF token: BREACH again.
    page = client.get(
        "/api/v1/funding-schemes/", headers={"accept": "text/html", "accept-encoding": "gzip"}
    )
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Content-Encoding" not in page


def _city_tile(point) -> str:
    tile = mercantile.tile(point.x, point.y, 14)
    return f"/tiles/organisations/14/{tile.x}/{tile.y}.pbf"


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/organisations/items",
        "/financements/export.csv",
        "/donnees/data-inclusion/structures.csv",
        "/donnees/friches/export.csv",
        "tile",
    ],
)
def test_ogc_tiles_and_schema_exports_are_conditional_and_compressed(
    client, data, moulins_point, url
):
    url = _city_tile(moulins_point) if url == "tile" else url
    plain = client.get(url)
    assert plain.status_code == 200
    assert plain.content
    assert plain["Cache-Control"] == "public, max-age=300"
    again = client.get(url, headers={"if-none-match": plain["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    zipped = client.get(url, headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
