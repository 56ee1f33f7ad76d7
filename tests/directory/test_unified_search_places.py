"""`/recherche/` proposes places (issue 17): organisations that are places, found by their
listing and by what they offer, with the services facet and a link to `/lieux/`."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from pytest_django.asserts import assertContains

from cartography.models import PlaceService, PlaceServiceKind, ReferenceArea
from directory.models import PlaceRole
from directory.services import search_words_refresh
from tests.factories import LILLE_CENTRE, LOMME, make_organisation

pytestmark = pytest.mark.django_db
URL = "/recherche/"


def offer(place, slug: str, **conditions) -> PlaceService:
    kind = PlaceServiceKind.objects.get(slug=slug)
    return PlaceService.objects.create(organisation=place, kind=kind, **conditions)


@pytest.fixture
def places():
    """A lieu totem with a meeting room, a third place (by kind) with a kitchen, a place
    offering domiciliation only, and an actor that is no place."""
    maison = make_organisation(
        "Maison de l'ESS",
        kinds=("reseau",),
        place_roles=[PlaceRole.TOTEM],
        description="Le lieu ressource de l'économie sociale.",
        location=LILLE_CENTRE,
    )
    offer(maison, "salles", free=True, details="Jusqu'à 20 personnes.")
    offer(maison, "domiciliation", price="10 € par mois")
    fabrique = make_organisation(
        "La Fabrique Citoyenne",
        kinds=("tiers-lieu",),
        description="Ateliers et repas partagés.",
        location=LOMME,
    )
    offer(fabrique, "cuisine", on_reservation=True, audience="Projets alimentaires")
    make_organisation("Hôtel d'entreprises", kinds=("entreprise-ess",)).place_services.create(
        kind=PlaceServiceKind.objects.get(slug="domiciliation")
    )
    make_organisation("Cuisine solidaire", kinds=("entreprise-ess",))  # no place
    search_words_refresh()
    return maison, fabrique


def place_names(response) -> list[str]:
    for group in response.context["result"].groups:
        if group.kind == "lieux":
            return [item.name for item in group.items]
    return []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("salle de réunion", ["Maison de l'ESS"]),  # a service's kind
        ("cuisine", ["La Fabrique Citoyenne"]),  # not the actor named "Cuisine solidaire"
        ("domiciliation", ["Hôtel d'entreprises", "Maison de l'ESS"]),
        ("gratuit salle", ["Maison de l'ESS"]),  # a condition
        ("projets alimentaires", ["La Fabrique Citoyenne"]),  # who it is for
        ("économie sociale", ["Maison de l'ESS"]),  # the listing's presentation
        ("épicerie solidaire", ["La Fabrique Citoyenne"]),  # a synonym of "alimentaires"
        ("coworking", []),  # no place here offers a coworking desk
    ],
)
def test_a_project_holder_finds_places_by_what_they_offer(client, places, query, expected):
    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert sorted(place_names(response)) == expected


def test_the_places_group_counts_shows_services_and_links_to_the_places_page(client, places):
    response = client.get(URL, {"q": "cuisine"})

    result = response.context["result"]
    assert result.kind_counts["lieux"] == 1
    assertContains(response, '<h2 id="groupe-lieux">', count=1)
    assertContains(response, "Propose : Cuisine, laboratoire")
    assertContains(response, "accompagnements, 0 ; lieux, 1.")
    # The query names one service: the link opens /lieux/ filtered on it.
    assertContains(response, 'href="/lieux/?service=cuisine"')
    assertContains(response, '<option value="cuisine">Cuisine, laboratoire (1)</option>')


def test_the_services_facet_narrows_the_places_and_keeps_its_counts(client, places):
    response = client.get(URL, {"q": "domiciliation", "service": "salles"})

    assert place_names(response) == ["Maison de l'ESS"]
    counts = {facet.slug: facet.count for facet in response.context["result"].service_counts}
    assert counts["domiciliation"] == 2
    assert counts["salles"] == 1
    assertContains(response, 'href="/lieux/?service=salles"')


def test_the_kind_facet_shows_the_places_alone(client, places):
    response = client.get(URL, {"q": "lieu", "type": "lieux"})

    assert [group.kind for group in response.context["result"].groups] == ["lieux"]
    assert place_names(response) == ["Maison de l'ESS"]


def test_the_quartier_keeps_the_places_inside_it_and_goes_to_the_places_page(client, places):
    square = Polygon.from_bbox((3.05, 50.62, 3.07, 50.64))
    ReferenceArea.objects.create(
        kind="quartier", code="59350-1", name="Lille-Centre", geometry=MultiPolygon(square)
    )

    response = client.get(URL, {"q": "domiciliation", "quartier": "lille-centre"})

    assert place_names(response) == ["Maison de l'ESS"]
    assertContains(response, 'href="/lieux/?service=domiciliation&amp;quartier=59350-1"')


def test_a_closed_or_unpublished_place_is_not_proposed(client, places):
    maison, fabrique = places
    maison.publication_status = "brouillon"
    maison.save()
    fabrique.closed_on = "2025-01-01"
    fabrique.save()

    response = client.get(URL, {"q": "salle cuisine domiciliation"})

    assert place_names(response) == []


def test_places_cost_a_bounded_number_of_queries(client, places, django_assert_max_num_queries):
    for number in range(12):
        place = make_organisation(f"Salle des fêtes {number}", place_roles=[PlaceRole.RESOURCE])
        offer(place, "salles")
        offer(place, "materiel")

    with django_assert_max_num_queries(18):
        response = client.get(URL, {"q": "salle", "service": "salles", "quartier": "x"})

    assert response.status_code == 200


def test_beyond_the_cap_places_come_from_the_actors_candidates_and_say_at_least(
    client, monkeypatch
):
    """Above the cap (1,000 at full size, 2 here) the places are looked for among the
    organisations' candidates (the first full-text matches by id), plus those matching only
    through their services up to the last candidate: the count says "au moins"."""
    monkeypatch.setattr("directory.selectors.search.DIRECTORY_COUNT_CAP", 2)
    monkeypatch.setattr("directory.selectors.everything.DIRECTORY_COUNT_CAP", 2)
    by_service = make_organisation("Le Hangar", place_roles=[PlaceRole.RESOURCE])
    offer(by_service, "salles", details="Au bord du jardin.")
    make_organisation("Jardin partagé des Bois-Blancs")  # an actor, no place
    early = make_organisation("Le Jardin des Possibles", kinds=("tiers-lieu",))
    make_organisation("Jardin de la Treille", kinds=("tiers-lieu",))  # past the candidates
    late = make_organisation("Entrepôt Nord", place_roles=[PlaceRole.RESOURCE])
    offer(late, "salles", details="Un jardin sur le toit.")  # past the last candidate
    search_words_refresh()

    response = client.get(URL, {"q": "jardin"})

    assert sorted(place_names(response)) == [by_service.name, early.name]
    assertContains(response, "(au moins 2)")
    assertContains(response, "(plus de 2)")  # the actors


def test_under_the_cap_every_matching_place_is_counted_exactly(client, places):
    make_organisation("Tiers-lieu de la gare", kinds=("tiers-lieu",), description="Cuisine.")

    response = client.get(URL, {"q": "cuisine"})

    assert sorted(place_names(response)) == ["La Fabrique Citoyenne", "Tiers-lieu de la gare"]
    assertContains(response, '<span class="search-group__count">(2)</span>')
