"""The HTML encoding of /ogc/ (issue 18): every resource answers a browser (`Accept:
text/html`) or `f=html` with a page of the site, while clients keep JSON by default; the
landing page links its OpenAPI description and documentation."""

import pytest
from django.test import Client

from tests.factories import FIVES, WAZEMMES, make_organisation

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RESOURCES = [
    "/ogc/",
    "/ogc/conformance",
    "/ogc/collections",
    "/ogc/collections/organisations",
    "/ogc/collections/organisations/items",
]


@pytest.fixture
def listings():
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    make_organisation("La Grappe", location=WAZEMMES.clone(), kinds=("accompagnement",))


@pytest.mark.parametrize("url", RESOURCES)
def test_a_browser_gets_a_page_of_the_site_and_a_client_json(client, listings, url):
    page = client.get(url, headers={"accept": BROWSER})
    asked = client.get(url, {"f": "html"})
    default = client.get(url)

    assert page["Content-Type"].startswith("text/html")
    assert asked["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in page.content.decode()
    assert "<h1>" in page.content.decode()
    assert default["Content-Type"].split(";")[0] in ("application/json", "application/geo+json")
    assert "Accept" in default["Vary"]


def test_the_landing_page_links_its_openapi_and_documentation(client):
    links = client.get("/ogc/").json()["links"]
    by_rel = {(link["rel"], link["type"]): link["href"] for link in links}

    described = by_rel[("service-desc", "application/vnd.oai.openapi+json;version=3.0")]
    assert described.endswith("/api/schema/?format=json")
    assert by_rel[("service-doc", "text/html")].endswith("/api/docs/")
    assert by_rel[("alternate", "text/html")].endswith("/ogc/?f=html")
    assert client.get(described).json()["openapi"].startswith("3.0")

    page = client.get("/ogc/", {"f": "html"}).content.decode()
    assert 'href="http://testserver/api/docs/"' in page
    assert "ogrinfo OAPIF:" in page


def test_the_collections_page_is_a_table_with_links_to_each_encoding(client, listings):
    page = client.get("/ogc/collections", {"f": "html"}).content.decode()

    assert "<caption" in page
    assert 'href="http://testserver/ogc/collections/organisations/items?f=html"' in page
    assert 'href="http://testserver/ogc/collections/organisations/items"' in page


def test_a_collection_page_gives_its_filters_licence_and_the_map(client, listings):
    page = client.get("/ogc/collections/organisations", {"f": "html"}).content.decode()
    collection = client.get("/ogc/collections/organisations").json()

    assert "<code>kind</code>" in page
    assert "Licence Ouverte 2.0" in page
    assert 'href="/carte/"' in page
    assert any(link["rel"] == "license" for link in collection["links"])


def test_an_items_page_links_the_map_with_its_filters_and_pages(client, listings):
    page = client.get(
        "/ogc/collections/organisations/items", {"f": "html", "kind": "accompagnement"}
    ).content.decode()

    assert "La Grappe" in page
    assert "Les Jardins de Fives" not in page
    assert 'href="/carte/?kind=accompagnement"' in page
    assert "Cette page en GeoJSON" in page


def test_an_item_answers_html_to_a_browser(client, listings):
    (feature,) = client.get(
        "/ogc/collections/organisations/items", {"kind": "accompagnement"}
    ).json()["features"]

    page = client.get(
        f"/ogc/collections/organisations/items/{feature['id']}", headers={"accept": BROWSER}
    )

    assert page["Content-Type"].startswith("text/html")
    assert "La Grappe" in page.content.decode()


def test_a_bad_f_is_the_standard_exception(client):
    answer = Client().get("/ogc/collections", {"f": "xml"})

    assert answer.status_code == 400
    assert "html" in answer.json()["description"]


def _link(document: dict, rel: str, media: str) -> str:
    (href,) = [
        link["href"]
        for link in document["links"]
        if link["rel"] == rel and link.get("type", media) == media
    ]
    return href


def test_a_gis_client_walks_the_links_with_its_accept_headers(client, listings):
    """What QGIS's OGC API - Features provider does: the landing page and collections as
    `application/json`, the items as `application/geo+json, application/json` with `bbox`
    and `limit`, then follows the `next` links until there is none."""
    as_json = {"accept": "application/json"}
    landing = client.get("/ogc/", headers=as_json).json()
    collections = client.get(_link(landing, "data", "application/json"), headers=as_json).json()
    (organisations,) = [c for c in collections["collections"] if c["id"] == "organisations"]
    items_url = _link(organisations, "items", "application/geo+json")
    url, names = f"{items_url}?limit=1&bbox=2.9,50.5,3.2,50.8", []
    while url:
        page = client.get(url, headers={"accept": "application/geo+json, application/json"})
        assert page["Content-Type"].startswith("application/geo+json")
        body = page.json()
        names += [feature["properties"]["name"] for feature in body["features"]]
        following = [link["href"] for link in body["links"] if link["rel"] == "next"]
        url = following[0] if following else None
    assert sorted(names) == ["La Grappe", "Les Jardins de Fives"]
