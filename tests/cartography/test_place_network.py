"""The network of places (issue 17): the lieux totems' services side by side, the gaps per
quartier (or "couche quartiers non chargée"), and the CSV export."""

import csv
import io

import pytest
from django.contrib.gis.geos import Point

from cartography.models import PlaceServiceKind
from cartography.place_services import place_offer_replace
from directory.places import organisation_place_set
from tests.factories import FIVES, MOULINS, make_area, make_organisation, square_around

pytestmark = pytest.mark.django_db


def offer(organisation, *slugs):
    services = [
        {
            "kind": PlaceServiceKind.objects.get(slug=slug),
            "audience": "",
            "free": False,
            "price": "",
            "on_reservation": False,
            "accessibility": "inconnue",
            "social_lease": False,
            "details": "",
        }
        for slug in slugs
    ]
    place_offer_replace(organisation=organisation, services=services, spaces=[])


@pytest.fixture
def network():
    """Two lieux totems in Moulins (rooms, domiciliation; a kitchen), a tiers-lieu in Fives
    (storage), not a totem."""
    mess = make_organisation("Maison de l'ESS", location=MOULINS)
    organisation_place_set(organisation=mess, roles=["lieu-totem", "lieu-ressource"])
    offer(mess, "salles", "domiciliation")
    mres = make_organisation("Maison régionale de l'environnement", location=MOULINS)
    organisation_place_set(organisation=mres, roles=["lieu-totem"])
    offer(mres, "cuisine")
    fives = make_organisation("Fives Cail", location=FIVES)
    organisation_place_set(organisation=fives, roles=["tiers-lieu"])
    offer(fives, "stockage")


def quartiers():
    make_area("quartier", "59350-M", "Moulins", square_around(MOULINS, 800))
    make_area("quartier", "59350-F", "Fives", square_around(FIVES, 800))


def test_the_totems_services_side_by_side_and_the_gaps(
    client, network, django_assert_max_num_queries
):
    quartiers()
    with django_assert_max_num_queries(7):  # and the id of the kind tiers-lieu (issue 20)
        response = client.get("/lieux/reseau/")
    body = response.content.decode()
    places = response.context["network"].places
    assert [place.organisation.name for place in places] == [
        "Maison de l'ESS",
        "Maison régionale de l'environnement",
    ]
    assert places[0].services == {"salles", "domiciliation"}
    assert places[0].quartier == "Moulins"
    assert '<th scope="col">Cuisine, laboratoire</th>' in body
    gaps = {
        gap.name: [kind.slug for kind in gap.missing] for gap in response.context["network"].gaps
    }
    assert "salles" not in gaps["Moulins"]
    assert "cuisine" not in gaps["Moulins"]
    assert "stockage" in gaps["Moulins"]
    assert "stockage" not in gaps["Fives"]  # the tiers-lieu counts for the gaps
    assert "cuisine" in gaps["Fives"]


def test_every_place_on_demand(client, network):
    response = client.get("/lieux/reseau/", {"tous": "on"})
    names = [place.organisation.name for place in response.context["network"].places]
    assert names == ["Fives Cail", "Maison de l'ESS", "Maison régionale de l'environnement"]


def test_without_quartiers_the_gaps_say_the_layer_is_missing(client, network):
    response = client.get("/lieux/reseau/")
    body = response.content.decode()
    assert "Couche quartiers non chargée" in body
    assert response.context["network"].gaps == []


def test_the_csv_export(client, network):
    quartiers()
    response = client.get("/lieux/reseau/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["lieu"] for row in rows] == [
        "Maison de l'ESS",
        "Maison régionale de l'environnement",
    ]
    assert rows[0]["quartier"] == "Moulins"
    assert rows[0]["lieu_totem"] == "oui"
    assert (rows[0]["salles"], rows[0]["cuisine"]) == ("oui", "non")


def test_each_quartier_counts_its_places_and_the_others_are_counted_apart(client, network):
    # Issue 20: the gaps read only the places inside a quartier, the page only the totems,
    # and the places without a point are counted, not read.
    quartiers()
    elsewhere = make_organisation("Tiers-lieu de Roubaix", location=Point(3.18, 50.69, srid=4326))
    organisation_place_set(organisation=elsewhere, roles=["tiers-lieu"])
    offer(elsewhere, "cuisine")
    nowhere = make_organisation("Tiers-lieu sans adresse")
    organisation_place_set(organisation=nowhere, roles=["tiers-lieu"])
    silent = make_organisation("Tiers-lieu muet", location=FIVES)
    organisation_place_set(organisation=silent, roles=["tiers-lieu"])

    network = client.get("/lieux/reseau/").context["network"]

    gaps = {gap.name: gap for gap in network.gaps}
    assert (gaps["Moulins"].places, gaps["Moulins"].declared) == (2, 2)
    assert (gaps["Fives"].places, gaps["Fives"].declared) == (2, 1)
    assert "cuisine" in [kind.slug for kind in gaps["Fives"].missing]  # not Roubaix's
    assert network.unplaced == 1
    assert [place.organisation.is_totem for place in network.places] == [True, True]
