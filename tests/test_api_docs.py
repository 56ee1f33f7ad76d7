"""The OpenAPI schema (`/api/schema/`) and its documentation page (`/api/docs/`): valid,
every operation typed, every taxonomy an enum, paging documented, and no API address
answers a browser with a 500."""

import re
import uuid

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from directory import vocabulary
from directory.models import (
    FundingInstrument,
    LegalFamily,
    OrganisationKind,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportKind,
)
from importers.engine.services import source_import

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TAXONOMY_PARAMETERS = {"stage", "sector", "legal_family", "kind", "instrument", "support_kind"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: any
    warning or validation error fails here."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_operation_has_a_typed_success_response(schema):
    for path, method, operation in _operations(schema):
        success = next(
            operation["responses"][c] for c in ("200", "201") if c in operation["responses"]
        )
        for media, content in success["content"].items():
            body = _resolve(schema, content["schema"])
            binary = body.get("format") == "binary"  # a vector tile
            page = media == "text/html"  # an OGC page for a browser (f=html)
            assert body.get("properties") or binary or page, (path, method, media)


def test_every_taxonomy_parameter_is_an_enum(schema):
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in TAXONOMY_PARAMETERS:
                declared = parameter["schema"]
                enum = declared.get("enum") or declared.get("items", {}).get("enum")
                assert enum, (path, method, parameter["name"])


def test_the_lists_document_their_paging(schema):
    for path in ("/api/v1/funding-schemes/", "/api/v1/support-offers/"):
        operation = schema["paths"][path]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"limit", "offset"} <= names
        page = _resolve(
            schema, operation["responses"]["200"]["content"]["application/json"]["schema"]
        )
        assert {"count", "next", "previous", "results"} <= set(page["properties"])


def test_the_network_api_tells_401_from_403(schema):
    operation = schema["paths"]["/api/v1/networks/{slug}/members/"]["post"]
    assert {"401", "403"} <= set(operation["responses"])


def test_the_enums_are_the_seeded_vocabulary():
    for model, slugs in (
        (Stage, vocabulary.STAGES),
        (OrganisationKind, vocabulary.ORGANISATION_KINDS),
        (LegalFamily, vocabulary.LEGAL_FAMILIES),
        (Sector, vocabulary.SECTORS),
        (FundingInstrument, vocabulary.FUNDING_INSTRUMENTS),
        (SupportKind, vocabulary.SUPPORT_KINDS),
        (ScaleUpStrategy, vocabulary.SCALE_UP_STRATEGIES),
    ):
        assert set(model.objects.values_list("slug", flat=True)) == set(slugs), model


def test_no_api_address_answers_a_browser_with_a_500(client, schema):
    source_import(slug="seed")
    network = OrganisationKind.objects.get(slug="reseau").organisations.first()
    urls = ["/api/schema/", "/api/docs/", "/api/docs/?script="]
    for path, method, _operation in _operations(schema):
        url = path.replace("{slug}", network.slug).replace("{job}", str(uuid.uuid4()))
        url = url.replace("{collectionId}", "organisations").replace("{featureId}", "1")
        url = url.replace("{z}/{x}/{y}", "14/8300/5480")
        urls.append(url)
        if method == "post":
            response = client.post(url, {}, HTTP_ACCEPT=BROWSER_ACCEPT)
            assert response.status_code < 500, (url, "post")
    for url in urls:
        for query in ("", "?stage=amorcage&limit=2&offset=1", "?stage=inconnue&limit=x"):
            full = url + (query if "?" not in url else "")
            response = client.get(full, HTTP_ACCEPT=BROWSER_ACCEPT)
            assert response.status_code < 500, full


def test_the_documentation_page_is_served_by_cartess_without_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # every script is a file
    for asset in re.findall(r'(?:src|href)="/static/([^"?]+)"', html):
        assert finders.find(asset), asset
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_the_ogc_api_and_tiles_are_in_the_openapi(schema):
    """The OGC landing page's `service-desc` describes /ogc/ and /tiles/ too."""
    items = schema["paths"]["/ogc/collections/organisations/items"]["get"]
    names = {parameter["name"] for parameter in items["parameters"]}
    assert {"bbox", "limit", "offset", "kind", "reseau"} <= names
    assert {"400", "404"} <= set(items["responses"])
    assert "/ogc/collections/{collectionId}/items/{featureId}" in schema["paths"]
    tile = schema["paths"]["/tiles/organisations/{z}/{x}/{y}.pbf"]["get"]
    assert "application/vnd.mapbox-vector-tile" in tile["responses"]["200"]["content"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/organisations/", "/api/v1/areas/", "/api/v1/premises/"])
def test_map_layers_declare_the_404_of_an_unknown_format(client, schema, url):
    """DRF answers an unknown `?format=` with a 404: the schema says so, with its body."""
    response = client.get(url, {"format": "AAA"})

    assert response.status_code == 404
    declared = schema["paths"][url]["get"]["responses"]["404"]["content"]["application/json"]
    body = _resolve(schema, declared["schema"])
    assert set(body["properties"]) == set(response.json()) == {"detail", "code"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/organisations/", "/api/v1/areas/", "/api/v1/premises/"])
def test_map_layers_declare_the_406_of_an_accept_without_json(client, schema, url):
    """A browser's header without its `*/*` (schemathesis -H "Accept: text/html,...") gets
    DRF's French 406, which the schema declares with its body."""
    response = client.get(url, headers={"accept": "text/html,application/xhtml+xml"})

    assert response.status_code == 406
    assert "application/json" in response.json()["detail"]
    declared = schema["paths"][url]["get"]["responses"]["406"]["content"]["application/json"]
    body = _resolve(schema, declared["schema"])
    assert set(body["properties"]) == set(response.json()) == {"detail", "code"}


@pytest.mark.django_db
def test_unknown_directory_organisation_matches_its_declared_404(client, schema):
    response = client.get("/api/v1/directory/organisations/inconnue/")

    assert response.status_code == 404
    path = schema["paths"]["/api/v1/directory/organisations/{slug}/"]["get"]
    declared = path["responses"]["404"]["content"]["application/json"]["schema"]
    assert set(_resolve(schema, declared)["properties"]) == set(response.json())
