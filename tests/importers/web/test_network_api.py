"""A network pushes its members with an API token: dry run, then apply; never another's."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from directory.models import (
    NetworkApiToken,
    NetworkMembership,
    NetworkMembershipRequest,
    Organisation,
    OrganisationEditor,
)
from directory.services import network_api_token_create, network_api_token_revoke
from importers.models import ImportRun
from tests.factories import make_user
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

SIRET_A = "50100001200010"  # Les Jardins de Fives, member of network A
SIRET_B = "44100002300016"  # La Recyclerie de Wazemmes, member of network B only
SIRET_NEW = "77500001200010"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def members(world):  # noqa: F811 (the fixture of tests.roles)
    Organisation.objects.filter(pk=world.member_a.pk).update(siret=SIRET_A, siren=SIRET_A[:9])
    Organisation.objects.filter(pk=world.member_b.pk).update(siret=SIRET_B, siren=SIRET_B[:9])
    return world


def token_of(network, setup) -> str:
    _token, secret = network_api_token_create(
        network=network, name="CRM", user=setup.users["editeur A"]
    )
    return secret


def push(setup, secret: str | None, rows: list[dict], *, dry_run=False, network=None):
    client = APIClient()
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    slug = (network or setup.network_a).slug
    query = "?dry_run=1" if dry_run else ""
    return client.post(f"/api/v1/networks/{slug}/members/{query}", {"rows": rows}, format="json")


def rows() -> list[dict]:
    return [
        {"nom": "Café solidaire de Moulins", "siret": SIRET_NEW, "commune": "Lille"},
        {"nom": "Les Jardins de Fives", "siret": SIRET_A, "adresse": "12 rue Pierre Legrand"},
        {"nom": "Coopérative mal typée", "types": "cooperative"},
        {"nom": "Coopérative de Marseille", "commune": "Marseille", "code_insee": "13055"},
    ]


def test_dry_run_previews_each_row_and_writes_nothing(members):
    before = Organisation.objects.count()
    response = push(members, token_of(members.network_a, members), rows(), dry_run=True)
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {
        "new": 1,
        "changed": 1,
        "unchanged": 0,
        "rejected": 1,
        "outside": 1,
    }
    new, changed, rejected, outside = body["rows"]
    assert (new["row"], new["status"]) == (1, "new")
    assert changed["status"] == "changed"
    assert {"field": "adresse", "old": "", "new": "12 rue Pierre Legrand"} in changed["changes"]
    assert rejected["status"] == "rejected"
    assert "cooperative" in rejected["reason"]
    assert (outside["row"], outside["status"]) == (4, "outside")
    assert Organisation.objects.count() == before


def test_applying_writes_the_accepted_rows_for_the_tokens_network(members):
    response = push(members, token_of(members.network_a, members), rows())
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["rejected"], body["outside"]) == (1, 1, 1, 1)
    assert body["rejections"][0]["row"] == 3
    cafe = Organisation.objects.get(siret=SIRET_NEW)
    assert NetworkMembership.objects.filter(network=members.network_a, member=cafe).exists()
    members.member_a.refresh_from_db()
    assert members.member_a.street == "12 rue Pierre Legrand"


def test_a_token_never_touches_a_member_of_another_network(members):
    secret = token_of(members.network_a, members)
    row = {"nom": "La Recyclerie de Wazemmes", "siret": SIRET_B, "adresse": "1 rue Volée"}
    body = push(members, secret, [row]).json()
    assert body["rejected"] == 1
    assert "hors de votre réseau" in body["rejections"][0]["reason"]
    other_network = {"reseau": members.network_b.slug, "nom": "Intrus", "siret": SIRET_NEW}
    assert push(members, secret, [other_network]).json()["rejected"] == 1
    members.member_b.refresh_from_db()
    assert members.member_b.street == ""
    assert not Organisation.objects.filter(siret=SIRET_NEW).exists()


def test_a_token_of_network_a_cannot_call_network_b(members):
    response = push(
        members, token_of(members.network_a, members), rows(), network=members.network_b
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(siret=SIRET_NEW).exists()


@pytest.mark.parametrize("secret", [None, "", "abcdef12.faux", "sans-point"])
def test_no_or_a_wrong_token_gets_401_with_the_scheme_to_use(members, secret):
    response = push(members, secret, rows())
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_gets_401(members):
    secret = token_of(members.network_a, members)
    token = NetworkApiToken.objects.get()
    network_api_token_revoke(token=token, user=members.users["editeur A"])
    response = push(members, secret, rows())
    assert response.status_code == 401
    assert "révoqué" in response.json()["detail"]


def test_unknown_columns_are_refused_in_french(members):
    response = push(members, token_of(members.network_a, members), [{"nom": "X", "ville": "Lille"}])
    assert response.status_code == 400
    assert "Colonnes inconnues : ville." in str(response.json())


def test_the_api_is_rate_limited_per_token(members):
    secret = token_of(members.network_a, members)
    codes = [push(members, secret, [{"nom": ""}], dry_run=True).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/networks/{slug}/members/"]["post"]
    assert operation["operationId"] == "network_members_push"
    assert "jetonReseau" in schema["components"]["securitySchemes"]


def test_the_rows_go_to_the_engine_as_they_are_no_file_is_written(members):
    push(members, token_of(members.network_a, members), rows())
    run = ImportRun.objects.get(dry_run=False)
    assert run.parameters["rows"] == "given"
    assert "file" not in run.parameters
    assert list(run.rejections.values_list("row_number", flat=True)) == [3]


def test_a_token_cannot_take_over_a_listing_of_no_network(members):
    """Issue 14: the Ville de Lille's listing, of no network, matched by SIRET: "rejected",
    nothing changes, a request waits; its owner accepts, then the network's editor edits."""
    lille = Organisation.objects.create(
        name="Ville de Lille", slug="ville-de-lille", siret="21590350100017", phone="0320495000"
    )
    before = list(Organisation.objects.filter(pk=lille.pk).values())
    secret = token_of(members.network_a, members)
    row = {"nom": "COMMUNE DE LILLE", "siret": "21590350100017", "site_web": "https://evil.example"}
    preview = push(members, secret, [row], dry_run=True).json()
    assert preview["rows"][0]["status"] == "rejected"
    assert "sera envoyée" in preview["rows"][0]["reason"]
    assert not NetworkMembershipRequest.objects.exists()
    body = push(members, secret, [row]).json()
    assert (body["updated"], body["created"], body["rejected"]) == (0, 0, 1)
    assert "Structure déjà dans l'annuaire (Ville de Lille)" in body["rejections"][0]["reason"]
    assert list(Organisation.objects.filter(pk=lille.pk).values()) == before
    assert not lille.memberships.exists()
    [asked] = NetworkMembershipRequest.objects.filter(member=lille, status="en-attente")

    editor = Client()
    editor.force_login(members.users["editeur A"])
    assert editor.get("/organisations/ville-de-lille/modifier/").status_code == 403
    # The requesting network's editor cannot decide its own request.
    assert editor.post(f"/moderation/adhesions/{asked.pk}/accepter/").status_code == 403

    owner = make_user("mairie-lille")
    OrganisationEditor.objects.create(user=owner, organisation=lille)
    mairie = Client()
    mairie.force_login(owner)
    page = mairie.get("/moderation/adhesions/")
    assert page.status_code == 200
    assert "APES Hauts-de-France" in page.content.decode()
    mairie.post(f"/moderation/adhesions/{asked.pk}/accepter/")
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("acceptee", owner)
    assert NetworkMembership.objects.filter(network=members.network_a, member=lille).exists()
    assert editor.get("/organisations/ville-de-lille/modifier/").status_code == 200
