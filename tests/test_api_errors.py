"""Every `/api/` error answers JSON with a French message (issue 14): 400, 403, 404, 405,
429, 500, a malformed body and JSON nested 100,000 deep; never an HTML page or a traceback.
DRF's pages for a browser (`Accept: text/html`) open on the funding lists (issue 18: 500)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from directory.services import network_api_token_create
from tests.factories import (
    PUBLISHED,
    make_funding_scheme,
    make_organisation,
    make_support_offer,
)
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def secret(world) -> str:  # noqa: F811 (the fixture of tests.roles)
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    return secret


def members_url(world) -> str:  # noqa: F811
    return f"/api/v1/networks/{world.network_a.slug}/members/"


def assert_french_json(response, status: int, *words: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    text = str(body)
    assert "Traceback" not in text
    assert "<html" not in response.content.decode().lower()
    for word in words:
        assert word in text, text
    return body


def test_a_malformed_json_body_is_a_french_400(world, secret):  # noqa: F811
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(members_url(world), "{rows: [", content_type="application/json")
    body = assert_french_json(response, 400, "illisible")
    assert "Expecting" not in body["detail"]


def test_json_nested_100000_deep_is_a_400_not_a_500(world, secret):  # noqa: F811
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    deep = '{"rows": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(members_url(world), deep, content_type="application/json")
    assert_french_json(response, 400, "trop profondément imbriqué")


def test_a_validation_error_keeps_its_fields_in_french(world, secret):  # noqa: F811
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rows = {"rows": [{"nom": "X", "ville": "Lille"}]}
    response = client.post(members_url(world), rows, format="json")
    assert_french_json(response, 400, "Colonnes inconnues : ville.")


def test_a_bad_parameter_is_a_french_400(client):
    response = client.get("/api/v1/funding-schemes/?stage=%3Cscript%3E")
    assert_french_json(response, 400)
    assert response.json()["erreur"]


def test_no_token_is_a_french_401(world):  # noqa: F811
    response = APIClient().post(members_url(world), {"rows": []}, format="json")
    assert_french_json(response, 401, "Authentification nécessaire")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_api_address_is_a_french_404_in_json(client):
    response = client.get("/api/v1/cette-adresse-n-existe-pas/", HTTP_ACCEPT=BROWSER)
    assert_french_json(response, 404, "introuvable")


def test_an_unknown_network_is_a_french_404_in_json(secret):
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post("/api/v1/networks/inconnu/members/", {"rows": []}, format="json")
    assert_french_json(response, 404, "introuvable")


def test_a_wrong_method_is_a_french_405(client):
    response = client.delete("/api/v1/funding-schemes/")
    assert_french_json(response, 405, "DELETE", "non autorisée")


def test_too_many_requests_is_a_french_429_with_its_delay(world, secret):  # noqa: F811
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = members_url(world) + "?dry_run=1"
    for _ in range(30):
        assert client.post(url, {"rows": [{"nom": ""}]}, format="json").status_code == 200
    response = client.post(url, {"rows": [{"nom": ""}]}, format="json")
    body = assert_french_json(response, 429, "Requête ralentie")
    assert int(response["Retry-After"]) == body["retry_after"] > 0


def test_a_failure_inside_an_api_view_is_a_french_500_without_traceback(client):
    # A real failure of the database: the funding list reads a table that is gone.
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE directory_fundingscheme RENAME TO fundingscheme_gone")
    response = client.get("/api/v1/funding-schemes/")
    body = assert_french_json(response, 500, "Erreur du serveur")
    assert "fundingscheme" not in str(body)


@override_settings(ROOT_URLCONF="tests.test_api_errors_urls")
def test_a_failure_outside_drf_under_api_is_a_french_500_in_json(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/panne/")
    assert_french_json(response, 500, "Erreur du serveur")
    # Elsewhere, the site's French page.
    page = client.get("/panne/")
    assert page.status_code == 500
    assert "Erreur du serveur" in page.content.decode()
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("url", "bad"),
    [
        ("/api/v1/funding-schemes/", "?stage=%3Cscript%3E"),
        ("/api/v1/support-offers/", "?stage=%3Cscript%3E"),
        ("/api/v1/directory/organisations/", "?page=0"),
    ],
)
def test_a_browser_opens_the_lists(client, url, bad):
    make_funding_scheme("Fonds amorçage ESS", publication_status=PUBLISHED)
    make_support_offer("Incubateur ESS de Lille", publication_status=PUBLISHED)
    make_organisation("Les Jardins de Fives", publication_status=PUBLISHED)
    response = client.get(url, HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert any(name in page for name in ("Fonds amorçage", "Incubateur ESS", "Jardins de Fives"))
    # And its errors stay JSON for the browser too.
    assert_french_json(client.get(url + bad, HTTP_ACCEPT=BROWSER), 400)
