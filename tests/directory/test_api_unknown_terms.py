"""A taxonomy value that does not exist is a French 400 naming the allowed values, on every
API that filters by a taxonomy (issue 18, schemathesis): a program's typo must not read as
"nothing matches". The pages stay lenient: an old shared link still opens."""

import pytest

from directory import vocabulary
from tests.factories import FIVES, make_organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/funding-schemes/?stage=AAA", "stage"),
        ("/api/v1/support-offers/?stage=AAA", "stage"),
        ("/api/v1/funding-schemes/?instrument=AAA", "instrument"),
        ("/api/v1/support-offers/?scope=AAA", "scope"),
        ("/api/v1/directory/organisations/?kind=Z", "kind"),
        ("/api/v1/organisations/?sector=financeur", "sector"),
    ],
)
def test_an_unknown_term_is_a_french_400_naming_the_allowed_values(client, url, name):
    response = client.get(url)

    assert response.status_code == 400
    body = response.json()
    assert name in body["champs"]
    assert "valeurs possibles" in body["erreur"]
    terms = {"stage": vocabulary.STAGES, "kind": vocabulary.ORGANISATION_KINDS}.get(name)
    if terms:
        assert ", ".join(terms) in body["erreur"]


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/organisations/items?kind=Z",
        "/tiles/organisations.json?stage=AAA",
        "/tiles/organisations/10/0/0.pbf?legal_family=scop",
    ],
)
def test_ogc_and_tiles_refuse_an_unknown_term_in_their_exception_format(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"
    assert "n'existe pas" in response.json()["description"]


def test_known_terms_still_filter(client):
    make_organisation("Les Jardins de Fives", location=FIVES.clone(), kinds=("accompagnement",))

    response = client.get("/api/v1/directory/organisations/?kind=accompagnement,financeur")

    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == ["Les Jardins de Fives"]
    assert client.get("/api/v1/funding-schemes/?stage=amorcage&scope=").status_code == 200


@pytest.mark.parametrize("url", ["/carte/?kind=Z", "/annuaire/?kind=Z", "/financements/?stage=AAA"])
def test_the_pages_still_open_an_old_link(client, url):
    assert client.get(url).status_code == 200
