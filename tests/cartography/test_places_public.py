"""`/lieux/` with what places said they offer (issue 17): filtered by a declared service, on
a map (the "places" layer) and in the list, in a fixed number of queries."""

import json

import pytest

from cartography.models import PlaceServiceKind
from cartography.place_services import place_offer_replace
from directory.places import organisation_place_set
from tests.factories import FIVES, MOULINS, make_area, make_organisation, square_around

pytestmark = pytest.mark.django_db


def service(slug, **conditions):
    row = {
        "kind": PlaceServiceKind.objects.get(slug=slug),
        "audience": "",
        "free": False,
        "price": "",
        "on_reservation": False,
        "accessibility": "inconnue",
        "social_lease": False,
        "details": "",
    }
    return {**row, **conditions}


@pytest.fixture
def places():
    """The Maison de l'ESS in Moulins (lieu totem, meeting rooms and domiciliation), a
    tiers-lieu in Fives with a kitchen, a place without a point offering storage."""
    make_area("quartier", "59350-M", "Moulins", square_around(MOULINS, 800))
    make_area("quartier", "59350-F", "Fives", square_around(FIVES, 800))
    mess = make_organisation("Maison de l'ESS", location=MOULINS)
    organisation_place_set(organisation=mess, roles=["lieu-ressource", "lieu-totem"])
    place_offer_replace(
        organisation=mess,
        services=[service("salles", price="15 €"), service("domiciliation", free=True)],
        spaces=[],
    )
    fives = make_organisation("Cuisine de Fives", location=FIVES)
    organisation_place_set(organisation=fives, roles=["tiers-lieu"])
    place_offer_replace(organisation=fives, services=[service("cuisine")], spaces=[])
    nowhere = make_organisation("Entrepôt solidaire", location=None)
    organisation_place_set(organisation=nowhere, roles=["tiers-lieu"])
    place_offer_replace(organisation=nowhere, services=[service("stockage")], spaces=[])
    return mess, fives, nowhere


def names(response):
    return [place.name for place in response.context["page_obj"].object_list]


def test_the_list_shows_declared_services_in_few_queries(client, places, django_assert_num_queries):
    # The quartiers and the services of the filter form, the id of the kind tiers-lieu and
    # the page with the number of places (issue 20).
    with django_assert_num_queries(4):
        response = client.get("/lieux/")
    assert names(response) == ["Cuisine de Fives", "Entrepôt solidaire", "Maison de l'ESS"]
    body = response.content.decode()
    assert '<li class="tag">Salle de réunion ou d&#x27;activité</li>' in body
    assert '<li class="tag">Cuisine, laboratoire</li>' in body
    assert 'id="places-map"' in body
    assert 'data-url="/lieux/carte.geojson"' in body


def test_a_declared_service_filters_the_list_and_the_map(client, places):
    assert names(client.get("/lieux/", {"service": "cuisine"})) == ["Cuisine de Fives"]
    page = client.get("/lieux/", {"service": "salles", "totem": "on"})
    assert names(page) == ["Maison de l'ESS"]
    assert 'data-url="/lieux/carte.geojson?service=salles&amp;totem=on"' in page.content.decode()
    collection = json.loads(client.get("/lieux/carte.geojson", {"service": "salles"}).content)
    assert [f["properties"]["name"] for f in collection["features"]] == ["Maison de l'ESS"]


def test_the_map_layer_has_the_places_with_a_point(client, places, django_assert_max_num_queries):
    # The quartiers and the services of the filter form, the collection and its origin.
    with django_assert_max_num_queries(5):  # and the id of the kind tiers-lieu (issue 20)
        response = client.get("/lieux/carte.geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["name"] == "places"
    by_name = {f["properties"]["name"]: f["properties"] for f in collection["features"]}
    assert set(by_name) == {"Cuisine de Fives", "Maison de l'ESS"}  # no point, not on the map
    assert by_name["Maison de l'ESS"]["totem"] is True
    assert by_name["Maison de l'ESS"]["services"] == [
        "Domiciliation",
        "Salle de réunion ou d'activité",
    ]
    assert by_name["Cuisine de Fives"]["totem"] is False
    moulins = client.get("/lieux/carte.geojson", {"quartier": "59350-M"})
    assert [f["properties"]["name"] for f in json.loads(moulins.content)["features"]] == [
        "Maison de l'ESS"
    ]


def test_a_place_that_declared_no_service_has_an_empty_list_on_the_map(client, places):
    quiet = make_organisation("Tiers-lieu sans service déclaré", location=FIVES)
    organisation_place_set(organisation=quiet, roles=["tiers-lieu"])
    collection = json.loads(client.get("/lieux/carte.geojson").content)
    by_name = {f["properties"]["name"]: f["properties"] for f in collection["features"]}
    assert by_name["Tiers-lieu sans service déclaré"]["services"] == []
    assert by_name["Cuisine de Fives"]["services"] == ["Cuisine, laboratoire"]


def test_an_unknown_filter_of_the_map_is_refused_in_french(client, places):
    response = client.get("/lieux/carte.geojson", {"service": "piscine"})
    assert response.status_code == 400
    assert "Ce service n'existe pas" in response.content.decode()
