"""The OpenAPI of `/ogc/` and `/tiles/` says what they answer (schemathesis checks it, issue
18): the content types of each operation, each collection's own parameters, and a JSON
error, never an HTML page, for any value in a path."""

import re

import pytest
import yaml
from django.core.management import call_command

from cartography.ogc.collections import COLLECTIONS
from tests.factories import FIVES, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))["paths"]


def _declared(operation: dict, status: str) -> set[str]:
    return set(operation["responses"][status].get("content", {}))


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/ogc/", "/ogc/"),
        ("/ogc/conformance", "/ogc/conformance"),
        ("/ogc/collections", "/ogc/collections"),
        ("/ogc/collections/{collectionId}", "/ogc/collections/areas-quartier"),
        ("/ogc/collections/organisations/items", "/ogc/collections/organisations/items"),
        # Communes: the quartiers, never imported here, answer 409 "couche non chargée".
        ("/ogc/collections/{collectionId}/items", "/ogc/collections/areas-commune/items"),
    ],
)
def test_each_ogc_operation_declares_the_html_and_json_it_answers(client, paths, path, url):
    operation = paths[path]["get"]
    for query, accept in (({}, "application/json"), ({"f": "html"}, "*/*")):
        response = client.get(url, query, HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] in _declared(operation, "200")
    browser = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert browser["Content-Type"].startswith("text/html")
    assert "text/html" in _declared(operation, "200")


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/%C3%A9t%C3%A9",
        "/ogc/collections/%C3%A9t%C3%A9/items",
        "/ogc/collections/%C3%A9t%C3%A9/items/1",
        "/ogc/collections/organisations/items/null,null",
    ],
)
def test_any_path_value_gets_the_declared_json_404(client, paths, url):
    """An unknown collection or feature, whatever its characters, is the standard's JSON
    exception in French, as declared; not the site's HTML page."""
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"code", "description"}
    assert (
        "inconnue" in response.json()["description"] or "Aucune" in response.json()["description"]
    )


def test_each_collection_declares_the_parameters_it_accepts(client, paths):
    """A collection's declared parameters pass; a map filter is declared only where it is
    accepted (on organisations, not on areas), and refused elsewhere with a 400."""
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    organisations = paths["/ogc/collections/organisations/items"]["get"]
    areas = paths["/ogc/collections/{collectionId}/items"]["get"]
    area_ids = next(p for p in areas["parameters"] if p["name"] == "collectionId")["schema"]
    assert set(area_ids["enum"]) == {c for c in COLLECTIONS if c.startswith("areas-")}
    assert "kind" in {p["name"] for p in organisations["parameters"]}
    assert "kind" not in {p["name"] for p in areas["parameters"]}
    assert "datetime" not in {p["name"] for p in organisations["parameters"]}

    assert client.get("/ogc/collections/organisations/items?kind=financeur").status_code == 200
    refused = client.get("/ogc/collections/areas-quartier/items?kind=financeur")
    assert refused.status_code == 400
    assert "Paramètre inconnu" in refused.json()["description"]


def test_bounds_and_empty_filters_are_declared_as_the_api_reads_them(client, paths):
    items = {
        p["name"]: p for p in paths["/ogc/collections/organisations/items"]["get"]["parameters"]
    }
    assert items["offset"]["schema"]["maximum"] == 10_000
    assert client.get("/ogc/collections/organisations/items?offset=10001").status_code == 400
    assert items["bbox"]["schema"]["minItems"] == 4
    assert items["bbox"]["explode"] is False
    # An empty quartier or reseau means "no filter": the schema's pattern allows it.
    assert items["quartier"]["schema"]["pattern"].endswith(")?$")
    assert client.get("/tiles/organisations.json?quartier=&reseau=").status_code == 200
    tile = {
        p["name"]: p for p in paths["/tiles/organisations/{z}/{x}/{y}.pbf"]["get"]["parameters"]
    }
    assert tile["z"]["schema"]["maximum"] == 22
    assert client.get("/tiles/organisations/22/4194303/0.pbf").status_code == 200
    assert client.get("/tiles/organisations/22/4194304/0.pbf").status_code == 404


def test_the_premises_declare_their_409_before_any_import(client, paths):
    response = client.get("/ogc/collections/premises/items")

    assert response.status_code == 409
    assert "409" in paths["/ogc/collections/premises/items"]["get"]["responses"]


def test_the_datetime_pattern_admits_only_what_the_api_reads(client, paths):
    items = paths["/ogc/collections/funding-schemes/items"]["get"]["parameters"]
    pattern = re.compile(next(p for p in items if p["name"] == "datetime")["schema"]["pattern"])
    url = "/ogc/collections/funding-schemes/items"
    for value in ("2026-05-01", "2026-05-01T10:00:00Z", "2026-01-01/..", "../2026-12-31", "/"):
        assert pattern.match(value), value
        assert client.get(url, {"datetime": value}).status_code == 200, value
    for value in (
        "null",
        "0000-01-01",
        "2026-13-01",
        "2026-02-30",
        "2026-05-01/2026-06-01/2026-07-01",
    ):
        assert not pattern.match(value), value
        assert client.get(url, {"datetime": value}).status_code == 400, value
