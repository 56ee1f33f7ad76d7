"""The pathway proposes places (issue 17): "Avez-vous besoin d'un lieu ?", then the places
offering those services, nearest first, with their conditions and "Demander un espace"."""

import datetime
import json

import pytest

from cartography.models import PlaceService, PlaceServiceKind
from directory.models import Organisation, PlaceRole, PublicationStatus
from tests.directory.pathway.test_pathway_page import JOURNEY, landscape  # noqa: F401 - a fixture
from tests.factories import FIVES, LOMME, MOULINS, make_area, make_organisation

pytestmark = pytest.mark.django_db
URL = "/parcours/"
API = "/api/v1/pathway/"


def offers(place, slug: str, **conditions) -> PlaceService:
    kind = PlaceServiceKind.objects.get(slug=slug)
    return PlaceService.objects.create(organisation=place, kind=kind, **conditions)


@pytest.fixture
def places():
    maison = make_organisation(
        "Maison de l'ESS", location=MOULINS.clone(), place_roles=[PlaceRole.TOTEM]
    )
    offers(maison, "salles", free=True, on_reservation=True)
    offers(maison, "bureaux", price="150 € par mois", social_lease=True)
    lomme = make_organisation("Fabrique Citoyenne de Lomme", location=LOMME.clone())
    offers(lomme, "salles", price="20 € l'heure", audience="Associations")
    kitchen = make_organisation("Cuisine partagée de Fives", location=FIVES.clone())
    offers(kitchen, "cuisine", on_reservation=True)
    closed = make_organisation("Ancien tiers-lieu", location=MOULINS.clone())
    closed.closed_on = datetime.date(2024, 1, 31)
    closed.save()
    offers(closed, "salles", free=True)
    draft = make_organisation(
        "Lieu en brouillon", location=MOULINS.clone(), publication_status=PublicationStatus.DRAFT
    )
    offers(draft, "salles", free=True)
    return {"maison": maison, "lomme": lomme, "kitchen": kitchen}


def section(html: str, title_id: str) -> str:
    start = html.index(f'id="{title_id}"')
    return html[start : html.index("</section>", start)]


def test_the_form_asks_whether_a_place_is_needed(client):
    html = client.get(URL).content.decode()
    assert "<legend>Avez-vous besoin d&#x27;un lieu ?</legend>" in html
    assert 'name="place_service" id="id_place_service_0" value="domiciliation"' in html
    assert "Cuisine, laboratoire" in html


def test_the_places_offering_the_service_nearest_first_with_their_conditions(
    client,
    landscape,  # noqa: F811
    places,
):
    html = client.get(URL, {**JOURNEY, "place_service": "salles"}).content.decode()
    found = section(html, "titre-lieux")
    assert "Lieux qui peuvent vous accueillir" in found
    assert found.index("Maison de l&#x27;ESS") < found.index("Fabrique Citoyenne de Lomme")
    assert "Lieu totem de l&#x27;ESS" in found
    assert "<strong>Salle de réunion ou d&#x27;activité</strong> : gratuit · sur réservation" in (
        found
    )
    assert "20 € l&#x27;heure · pour : Associations" in found
    assert "Bureau" not in found  # only the services asked for
    ask = f'href="/organisations/{places["maison"].slug}/demander-un-espace/?etape=amorcage"'
    assert ask in found
    for absent in ("Cuisine partagée", "Ancien tiers-lieu", "Lieu en brouillon"):
        assert absent not in found


def test_no_place_question_no_places_section(client, landscape, places):  # noqa: F811
    html = client.get(URL, JOURNEY).content.decode()
    assert 'id="titre-lieux"' not in html
    assert client.get(API, JOURNEY).json()["places"] == []


def test_a_service_no_place_offers_says_so(client, landscape, places):  # noqa: F811
    html = client.get(URL, {**JOURNEY, "place_service": "materiel"}).content.decode()
    assert "Aucun lieu n'a encore dit dans Cartess qu'il propose ce service" in (
        section(html, "titre-lieux")
    )


def test_from_a_quartier_the_nearest_place_comes_first(client, landscape, places):  # noqa: F811
    make_area("quartier", "59350-4", "Fives", (3.08, 50.625, 3.095, 50.64))
    query = {
        **JOURNEY,
        "where": "quartier",
        "quartier": "59350-4",
        "place_service": ["salles", "cuisine"],
    }
    names = [place["name"] for place in client.get(API, query).json()["places"]]
    assert names == ["Cuisine partagée de Fives", "Maison de l'ESS", "Fabrique Citoyenne de Lomme"]


def test_the_api_lists_the_places_with_their_conditions_in_five_queries(
    client,
    landscape,  # noqa: F811
    places,
    django_assert_max_num_queries,
):
    # The places come in the organisations' query: asking for them costs no query more.
    with django_assert_max_num_queries(5):
        data = client.get(API, {**JOURNEY, "place_service": ["salles", "bureaux"]}).json()
    assert data["project"]["place_services"] == ["salles", "bureaux"]
    maison, lomme = data["places"]
    assert maison["name"] == "Maison de l'ESS"
    assert maison["distance_m"] == 0
    assert (maison["lat"], maison["lon"]) == (round(MOULINS.y, 6), round(MOULINS.x, 6))
    assert maison["place_roles"] == ["lieu-totem"]
    assert [service["kind"] for service in maison["services"]] == ["salles", "bureaux"]
    desks = maison["services"][1]
    assert desks["price"] == "150 € par mois"
    assert desks["conditions"] == ["150 € par mois", "bail commercial d'utilité sociale accepté"]
    assert maison["request_space"].endswith("/demander-un-espace/?etape=amorcage")
    assert lomme["distance_m"] > 4000


def test_an_unknown_service_is_a_french_error(client):
    response = client.get(API, {"stage": "amorcage", "place_service": "piscine"})
    assert response.status_code == 400
    assert "place_service" in response.json()["champs"]


def test_the_schema_documents_the_places(client):
    schema = client.get("/api/schema/").content.decode()
    assert "name: place_service" in schema
    assert "Lieux qui peuvent vous accueillir" in schema
    assert "request_space" in schema


def map_points(html: str) -> list[dict]:
    """The points the page hands to its small map (its `json_script`)."""
    start = html.index('<script id="pathway-points" type="application/json">')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)


def test_the_small_map_shows_the_places_beside_the_structures_in_five_queries(
    client,
    landscape,  # noqa: F811
    places,
    django_assert_max_num_queries,
):
    # The map's points are read from what the page already loaded: no query more.
    with django_assert_max_num_queries(5):
        html = client.get(URL, {**JOURNEY, "place_service": ["salles"]}).content.decode()
    points = {point["name"]: point for point in map_points(html)}
    assert set(points) == {
        "Incubateur de Moulins",
        "Maison de l'ESS",
        "Fabrique Citoyenne de Lomme",
    }
    incubator, maison = points["Incubateur de Moulins"], points["Maison de l'ESS"]
    assert (incubator["contact"], incubator["venue"]) == (True, False)
    assert (maison["contact"], maison["venue"]) == (False, True)
    assert maison["services"] == ["Salle de réunion ou d'activité"]
    assert (maison["lat"], maison["lon"]) == (round(MOULINS.y, 6), round(MOULINS.x, 6))
    legend = html[html.index('class="pathway-map__legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert "Structure à contacter" in legend
    assert "Lieu qui peut vous accueillir" in legend
    assert "Carte des structures à contacter et des lieux" in html


def test_a_place_that_is_also_a_structure_to_contact_is_one_point(
    client,
    landscape,  # noqa: F811
    places,
):
    incubator = Organisation.objects.get(name="Incubateur de Moulins")
    offers(incubator, "salles", free=True)
    html = client.get(URL, {**JOURNEY, "place_service": "salles"}).content.decode()
    mapped = [point for point in map_points(html) if point["name"] == "Incubateur de Moulins"]
    assert len(mapped) == 1
    assert (mapped[0]["contact"], mapped[0]["venue"]) == (True, True)


def test_without_the_place_question_the_legend_names_only_the_structures(
    client,
    landscape,  # noqa: F811
    places,
):
    html = client.get(URL, JOURNEY).content.decode()
    assert [point["name"] for point in map_points(html)] == ["Incubateur de Moulins"]
    assert "venue-marker" not in html


def test_places_without_a_point_are_listed_and_said_unmapped(client):
    offers(make_organisation("Cuisine sans adresse"), "cuisine")
    html = client.get(URL, {**JOURNEY, "place_service": "cuisine"}).content.decode()
    assert "Cuisine sans adresse" in section(html, "titre-lieux")
    assert 'id="pathway-map"' not in html
    assert "Aucune de ces structures ni aucun de ces lieux n'a encore de position" in html
