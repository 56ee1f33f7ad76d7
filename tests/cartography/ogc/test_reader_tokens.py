"""Reader tokens (issue 18): city services read the staff layers of /ogc/ and /tiles/ from
QGIS or GDAL with `Authorization: Token <secret>` (or `Bearer`), without a session; an
absent token is the public view, a wrong or revoked one a 401, a token of a person who is
not city staff a 403 (directory/reader_tokens.py, cartography/ogc/readers.py)."""

import shutil

import mercantile
import pytest
from django.contrib.auth.models import Group

from directory.models import PublicationStatus, ReaderApiToken
from directory.reader_tokens import reader_api_token_create
from tests.factories import FIVES, make_premises, make_user

pytestmark = pytest.mark.django_db

OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"
PREMISES = "/ogc/collections/premises/items"


@pytest.fixture
def sites():
    make_premises("Friche Fives Cail", publication_status=PublicationStatus.PUBLISHED)
    make_premises("Hangar en discussion", location=FIVES.clone(), owner_name="SPL Euralille")


@pytest.fixture
def secret(city_staff) -> str:
    return reader_api_token_create(user=city_staff, name="QGIS urbanisme")[1]


def names(answer) -> set[str]:
    return {feature["properties"]["name"] for feature in answer.json()["features"]}


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_a_token_of_city_staff_opens_every_site_without_a_session(client, sites, secret, keyword):
    answer = client.get(PREMISES, headers={"authorization": f"{keyword} {secret}"})

    assert answer.status_code == 200
    assert names(answer) == {"Friche Fives Cail", "Hangar en discussion"}
    assert "SPL Euralille" in answer.content.decode()
    assert answer["Cache-Control"] == "private, no-store"
    assert ReaderApiToken.objects.get().last_used_at is not None


def test_without_a_token_the_public_view(client, sites):
    answer = client.get(PREMISES)

    assert names(answer) == {"Friche Fives Cail"}
    assert "SPL Euralille" not in answer.content.decode()


@pytest.mark.parametrize("header", ["Token faux.secret", "Bearer sans-point", "Token "])
def test_a_wrong_token_is_a_401_in_french(client, sites, header):
    answer = client.get(PREMISES, headers={"authorization": header})

    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == 'Token realm="ogc"'
    assert answer.json() == {
        "code": "Unauthorized",
        "description": "Jeton inconnu ou révoqué : créez-en un nouveau.",
    }


def test_a_revoked_token_is_a_401(client, city_staff, sites, secret):
    client.force_login(city_staff)
    token = ReaderApiToken.objects.get()
    client.post(f"/compte/jetons-sig/{token.pk}/revoquer/")
    client.logout()

    answer = client.get(PREMISES, headers={"authorization": f"Token {secret}"})

    assert answer.status_code == 401


def test_a_token_of_someone_who_left_the_city_services_is_a_403(client, city_staff, sites, secret):
    city_staff.groups.remove(Group.objects.get(name="Services de la Ville"))

    answer = client.get(PREMISES, headers={"authorization": f"Token {secret}"})

    assert answer.status_code == 403
    assert "services de la Ville" in answer.json()["description"]


def test_a_network_token_opens_no_staff_layer(client, sites):
    answer = client.get(PREMISES, headers={"authorization": "Bearer abcd1234.secret-reseau"})

    assert answer.status_code == 401


def test_the_token_opens_the_staff_tiles(client, sites, secret, tmp_path):
    found = mercantile.tile(FIVES.x, FIVES.y, 14)
    url = f"/tiles/premises/14/{found.x}/{found.y}.pbf"

    public = client.get(url)
    staff = client.get(url, headers={"authorization": f"Token {secret}"})
    refused = client.get(url, headers={"authorization": "Token faux.secret"})

    assert b"SPL Euralille" not in public.content
    assert b"SPL Euralille" in staff.content
    assert staff["Cache-Control"] == "private, no-store"
    assert refused.status_code == 401


def test_city_staff_create_a_token_and_see_its_secret_once(client, city_staff):
    client.force_login(city_staff)

    created = client.post("/compte/jetons-sig/", {"name": "QGIS urbanisme"})
    again = client.get("/compte/jetons-sig/")

    token = ReaderApiToken.objects.get()
    assert token.user == city_staff
    page = created.content.decode()
    assert f'value="{token.prefix}.' in page
    assert created["Cache-Control"] == "no-store"
    assert f'value="{token.prefix}.' not in again.content.decode()
    assert "QGIS urbanisme" in again.content.decode()


def test_a_blank_name_is_refused_and_nothing_created(client, city_staff):
    client.force_login(city_staff)

    answer = client.post("/compte/jetons-sig/", {"name": ""})

    assert answer.status_code == 200
    assert not ReaderApiToken.objects.exists()


def test_only_city_staff_reach_the_tokens_page(client, ordinary_user):
    client.force_login(ordinary_user)

    assert client.get("/compte/jetons-sig/").status_code == 403


def test_one_cannot_revoke_another_persons_token(client, ordinary_user, city_staff, secret):
    other = reader_api_token_create(user=ordinary_user, name="Autre")[0]
    client.force_login(city_staff)

    assert client.post(f"/compte/jetons-sig/{other.pk}/revoquer/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_an_admin_revokes_a_lost_token(client, city_staff, sites, secret):
    token = ReaderApiToken.objects.get()
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))

    client.post(
        "/admin/directory/readerapitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get(PREMISES, headers={"authorization": f"Token {secret}"}).status_code == 401


@pytest.mark.parametrize("url", ["/foncier/export.csv", "/foncier/export.geojson"])
def test_the_token_downloads_the_staff_land_files(client, sites, secret, url):
    answer = client.get(url, headers={"authorization": f"Token {secret}"})

    assert answer.status_code == 200
    body = answer.content.decode("utf-8-sig")
    assert "Hangar en discussion" in body
    assert "SPL Euralille" in body
    assert answer["Cache-Control"] == "private, no-store"


def test_the_land_files_refuse_a_wrong_token_or_someone_else_in_french(client, sites):
    wrong = client.get("/foncier/export.csv", headers={"authorization": "Token faux.secret"})
    neighbour = reader_api_token_create(user=make_user("voisin"), name="SIG")[1]
    other = client.get("/foncier/export.geojson", headers={"authorization": f"Token {neighbour}"})
    anonymous = client.get("/foncier/export.csv")

    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == 'Token realm="ogc"'
    assert "Jeton inconnu" in wrong.json()["description"]
    assert other.status_code == 403
    assert "services de la Ville" in other.json()["description"]
    assert anonymous.status_code == 302  # no token: the login page, as before
