"""`/lieux/` (issue 17): any organisation can be a place of the ESS; the public finds the
places, what they offer, filtered by service, quartier and lieu totem, page by page."""

import pytest

from cartography.places import PLACES_PER_PAGE
from directory.places import organisation_place_set
from tests.factories import (
    FIVES,
    MOULINS,
    WAZEMMES,
    make_area,
    make_organisation,
    make_place_services,
    square_around,
)

pytestmark = pytest.mark.django_db

STRATEGY = "Stratégie ESS de Lille 2021-2026, objectif 1.7"


@pytest.fixture
def places():
    """The Maison de l'ESS (a lieu-ressource and lieu totem, in Moulins, with rooms), a
    tiers-lieu of kind tiers-lieu in Fives with a kitchen, and an enterprise that is no place."""
    make_area("quartier", "59350-M", "Moulins", square_around(MOULINS, 800))
    make_area("quartier", "59350-F", "Fives", square_around(FIVES, 800))
    mess = make_organisation("Maison de l'ESS", kinds=("accompagnement",), location=MOULINS)
    organisation_place_set(
        organisation=mess, roles=["lieu-ressource", "lieu-totem"], source=STRATEGY
    )
    make_place_services(mess, "salles", "domiciliation")
    fives = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES)
    make_place_services(fives, "cuisine")
    make_organisation("Scop du Coin", location=WAZEMMES)
    return mess, fives


def names(response):
    return [place.name for place in response.context["page_obj"].object_list]


def test_the_places_are_listed_with_what_they_offer(client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # and the id of the kind tiers-lieu (issue 20)
        response = client.get("/lieux/")
    assert names(response) == ["Fives Cail", "Maison de l'ESS"]
    body = response.content.decode()
    assert "Cuisine, laboratoire" in body
    assert "Salle de réunion ou d&#x27;activité" in body
    assert "Lieu totem de l&#x27;ESS" in body
    assert 'href="/lieux/" aria-current="page"' in body  # in the site's navigation


def test_places_filter_by_service_quartier_and_totem(client, places):
    assert names(client.get("/lieux/", {"service": "cuisine"})) == ["Fives Cail"]
    assert names(client.get("/lieux/", {"quartier": "59350-M"})) == ["Maison de l'ESS"]
    assert names(client.get("/lieux/", {"totem": "on"})) == ["Maison de l'ESS"]
    both = client.get("/lieux/", {"service": "salles", "quartier": "59350-F"})
    assert names(both) == []
    assert "Aucun lieu ne correspond" in both.content.decode()


def test_an_unknown_filter_is_said_in_french_and_kept(client, places):
    response = client.get("/lieux/", {"service": "piscine", "totem": "on"})
    body = response.content.decode()
    assert "Ce service n&#x27;existe pas : choisissez-en un." in body
    assert response.context["form"].data["totem"] == "on"
    assert names(response) == ["Fives Cail", "Maison de l'ESS"]  # the list still shows


def test_a_closed_or_draft_place_is_not_listed(client, places):
    mess, fives = places
    fives.publication_status = "brouillon"
    fives.save()
    mess.closed_on = "2026-01-31"
    mess.save()
    assert names(client.get("/lieux/")) == []


def test_the_places_come_page_by_page(client, django_assert_num_queries):
    for number in range(PLACES_PER_PAGE + 1):
        organisation = make_organisation(f"Lieu {number:02d}")
        organisation_place_set(organisation=organisation, roles=["tiers-lieu"])
    # The quartiers and the services of the filter form, the id of the kind tiers-lieu and
    # the page with the number of places (issue 20).
    with django_assert_num_queries(4):
        second = client.get("/lieux/", {"page": 2})
    assert names(second) == [f"Lieu {PLACES_PER_PAGE:02d}"]
    assert "Page 2 sur 2" in second.content.decode()


def test_the_old_staff_offer_form_sends_to_the_place_form(staff_client, places):
    mess, _fives = places
    response = staff_client.get(f"/foncier/tiers-lieux/{mess.slug}/offre/")
    assert response.status_code == 301
    assert response["Location"] == f"/lieux/{mess.slug}/offre/"
    form = staff_client.get(response["Location"])
    assert form.status_code == 200
    assert 'name="lieu-totem"' in form.content.decode()  # city staff set the mark there


def test_the_organisation_page_says_lieu_totem_with_its_source(client, places):
    mess, _fives = places
    body = client.get(f"/organisations/{mess.slug}/").content.decode()
    assert "Lieu totem de l&#x27;ESS" in body
    assert "Lieu totem de l&#x27;ESS, Lieu-ressource" in body
    assert f"Source : {STRATEGY}" in body


def test_a_place_known_by_its_services_alone_takes_space_requests(client, places):
    """Staff took the Maison de l'ESS's roles back; it still offers rooms, so /lieux/ lists
    it and its "Demander un espace" link opens the request form (it answered 404)."""
    mess, _fives = places
    organisation_place_set(organisation=mess, roles=[], source=STRATEGY)
    assert names(client.get("/lieux/")) == ["Fives Cail", "Maison de l'ESS"]
    form = client.get(f"/organisations/{mess.slug}/demander-un-espace/")
    assert form.status_code == 200
    other = make_organisation("Scop sans lieu")
    assert client.get(f"/organisations/{other.slug}/demander-un-espace/").status_code == 404
