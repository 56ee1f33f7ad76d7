"""The API's bounds are the schema's (issue 18, schemathesis): `limit`, `offset` and `page`
refused exactly beyond what `/api/schema/` declares, and any value in a path reaches its
view (a JSON 404 or 401), never Django's HTML page."""

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import resolve

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def parameters(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        schema = Client().get("/api/schema/", {"format": "json"}).json()
    return {
        path: {p["name"]: p["schema"] for p in item["get"].get("parameters", [])}
        for path, item in schema["paths"].items()
        if "get" in item
    }


@pytest.mark.parametrize("path", ["/api/v1/funding-schemes/", "/api/v1/support-offers/"])
def test_list_paging_is_refused_exactly_beyond_its_declared_bounds(client, parameters, path):
    limit, offset = (parameters[path][name]["anyOf"][0] for name in ("limit", "offset"))
    assert client.get(path, {"limit": "", "offset": ""}).status_code == 200  # declared too
    for query in (
        {"limit": limit["minimum"], "offset": offset["maximum"]},
        {"limit": limit["maximum"], "offset": offset["maximum"]},
        {"offset": offset["minimum"]},
    ):
        assert client.get(path, query).status_code == 200, query
    for query, words in (
        ({"limit": limit["minimum"] - 1}, "au moins 1"),
        ({"limit": limit["maximum"] + 1}, "au plus par page"),
        ({"offset": offset["maximum"] + 1}, "trop loin"),
        ({"offset": -1}, "négatif"),
        ({"limit": "x"}, "nombre entier"),
    ):
        response = client.get(path, query)
        assert response.status_code == 400, query
        assert words in response.json()["erreur"]


def test_directory_paging_declares_its_minimums(client, parameters):
    declared = parameters["/api/v1/directory/organisations/"]
    limit, page = declared["limit"]["anyOf"][0], declared["page"]["anyOf"][0]
    assert limit["minimum"] == page["minimum"] == 1

    response = client.get("/api/v1/directory/organisations/", {"limit": 0, "page": 0})

    assert response.status_code == 400
    assert set(response.json()["champs"]) == {"limit", "page"}


@pytest.mark.parametrize(
    ("url", "name", "status"),
    [
        ("/api/v1/directory/organisations/%C3%A9t%C3%A9/", "directory-organisation", 404),
        ("/api/v1/networks/%C2%AC/members/jobs/null,null/", "network-members-job", 401),
    ],
)
def test_any_path_value_reaches_its_view_and_answers_json(client, url, name, status):
    assert resolve(unquote(url)).url_name == name
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


def test_an_empty_place_service_means_none_chosen(client):
    response = client.get("/api/v1/pathway/", {"stage": "amorcage", "place_service": ""})

    assert "place_service" not in response.json().get("champs", {})


def test_a_boolean_filter_is_true_or_false_in_the_api_only(client):
    refused = client.get("/api/v1/funding-schemes/", {"open": "null"})

    assert refused.status_code == 400
    assert "open vaut true ou false" in refused.json()["erreur"]
    assert client.get("/api/v1/funding-schemes/", {"open": "true"}).status_code == 200
    assert client.get("/api/v1/organisations/", {"qpv": "peut-etre"}).status_code == 400
    assert client.get("/financements/", {"open": "on"}).status_code == 200  # the page's box


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/v1/areas/", "/api/v1/areas/?format="),
        ("/ogc/conformance", "/ogc/conformance?f="),
    ],
)
def test_an_empty_format_is_declared_as_the_default(client, parameters, path, url):
    name = "format" if path.startswith("/api/") else "f"

    assert "" in parameters[path][name]["enum"]
    assert client.get(url).status_code == 200


def test_a_browser_gets_the_page_the_schema_declares_and_json_errors(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/funding-schemes/", "/api/v1/directory/organisations/"):
        response = client.get(path, HTTP_ACCEPT=browser)
        media = response["Content-Type"].split(";")[0]
        assert media == "text/html"
        assert media in schema["paths"][path]["get"]["responses"]["200"]["content"]
    error = client.get("/api/v1/funding-schemes/", {"stage": "AAA"}, HTTP_ACCEPT=browser)
    assert error["Content-Type"] == "application/json"
    assert (
        "text/html"
        not in schema["paths"]["/api/v1/funding-schemes/"]["get"]["responses"]["400"]["content"]
    )


def test_the_search_text_is_declared_with_the_bounds_it_is_checked_by(client, parameters):
    declared = parameters["/api/v1/funding-schemes/"]["q"]
    pattern = re.compile(declared["pattern"])
    twelve, thirteen = " ".join(["pret"] * 12), " ".join(["pret"] * 13)
    for text, accepted in ((twelve, True), (thirteen, False), ("pr\x00et", False)):
        assert bool(pattern.match(text)) is accepted, text
        status = client.get("/api/v1/funding-schemes/", {"q": text}).status_code
        assert status == (200 if accepted else 400), text
    assert declared["maxLength"] == 200
