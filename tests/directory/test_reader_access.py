"""The funding coverage's CSV without a session (issue 18): the admin staff's and the city
services' reader token opens it, as the land files (directory/reader_access.py); a wrong or
revoked token is a French 401, a token of someone the page keeps out a French 403, and no
token at all is the login page, as before."""

import pytest

from directory.access import CITY_SERVICES
from directory.reader_tokens import reader_api_token_create, reader_api_token_revoke
from tests.factories import make_pathway_scheme, make_user

pytestmark = pytest.mark.django_db

CSV = "/financements/couverture/export.csv"


def _token(user) -> dict:
    return {"authorization": f"Token {reader_api_token_create(user=user, name='Tableur')[1]}"}


@pytest.fixture
def scheme():
    return make_pathway_scheme("Fonds d'amorçage de la Ville", stages=("amorcage",))


@pytest.mark.parametrize("who", ["city", "admin"])
def test_a_token_of_city_services_or_admin_staff_downloads_the_coverage(scheme, client, who):
    if who == "city":
        reader = make_user("agent", groups=(CITY_SERVICES.group,))
    else:
        reader = make_user("equipe", is_staff=True)

    answer = client.get(CSV, headers=_token(reader))

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert "amorcage" in answer.content.decode("utf-8-sig")
    assert answer["Cache-Control"] == "private, no-store"


def test_a_wrong_or_revoked_token_is_a_401_in_french(scheme, client):
    agent = make_user("agent", groups=(CITY_SERVICES.group,))
    token, secret = reader_api_token_create(user=agent, name="Tableur")
    reader_api_token_revoke(token=token)

    for header in ("Token faux.secret", f"Bearer {secret}"):
        answer = client.get(CSV, headers={"authorization": header})

        assert answer.status_code == 401
        assert answer["WWW-Authenticate"] == 'Token realm="ogc"'
        assert answer.json()["description"].startswith("Jeton inconnu ou révoqué")


def test_a_token_of_someone_the_page_keeps_out_is_a_403_in_french(scheme, client):
    answer = client.get(CSV, headers=_token(make_user("habitant")))

    assert answer.status_code == 403
    assert "réservée à l'équipe Cartess et aux services de la Ville" in answer.json()["description"]
    assert "amorcage" not in answer.content.decode()


def test_without_a_token_the_session_decides_as_before(scheme, client):
    assert client.get(CSV).status_code == 302  # the login page
    client.force_login(make_user("habitant"))
    assert client.get(CSV).status_code == 403
