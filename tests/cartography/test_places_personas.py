"""Issue 17 checked the way its author will, on the bundled demo data (`import --all`'s
communes, quartiers, seed and ANCT third places; offline, so no address is geocoded): a
project holder looking for a meeting room near Moulins and a kitchen for a food project,
the Maison de l'ESS declaring its services, and the city services looking at the gaps.

What the demo really holds: the five lieux totems the strategy names (seed, `lieu_totem`),
none with a point (the seed gives their addresses, not coordinates), 24 third places of the
ANCT's 2019 inventory with points, three of them in Lille-Moulins, and no place that has
said what it offers yet. Each test asserts what a person finds there, nothing invented."""

import csv
import io
import re

import pytest

from directory.models import Organisation, OrganisationEditor
from importers.engine.services import source_import
from tests.cartography.test_place_offer import form_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MOULINS = "59350-6"
TOTEMS = [
    "Bazaar St So",
    "Fabrique Citoyenne des TransitionS (Lomme)",
    "Maison de l'économie sociale et solidaire de Lille (MESS)",
    "Maison des Associations de Lille",
    "Maison régionale de l'environnement et des solidarités (MRES)",
]
MOULINS_PLACES = ["La CoFabrik", "Maison Folie Moulins", "Volume Ouvert"]
FOOD_PROJECT = {
    "stage": "amorcage",
    "legal_family": "association",
    "sector": "alimentation-durable",
    "where": "quartier",
    "quartier": MOULINS,
    "place_service": ["salles", "cuisine"],
}


@pytest.fixture
def demo():
    """The demo's places: as `import --all` loads them, without the sources places ignore."""
    for slug in ("communes", "quartiers", "seed", "tiers-lieux"):
        source_import(slug=slug)
    return Organisation.objects.get(name__startswith="Maison de l'économie sociale")


def text(response) -> str:
    """The page's main content as a person reads it (tags dropped, spaces folded)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def names(response) -> list[str]:
    return [place.name for place in response.context["page_obj"].object_list]


def test_the_five_lieux_totems_exist_and_are_marked(client, demo):
    response = client.get("/lieux/", {"totem": "on"})
    assert names(response) == TOTEMS
    assert response.content.decode().count('class="tag tag--totem"') == 5  # each card's mark
    page = text(client.get(f"/organisations/{demo.slug}/"))
    assert "Lieu totem de l'ESS" in page
    assert "objectif 1.7" in page  # the mark's source, the city's ESS strategy


def test_a_holder_looking_for_a_room_and_a_kitchen_near_moulins_is_told_honestly(client, demo):
    # The pathway: no place has said it offers a room or a kitchen; it says so and points
    # to the premises need the city services see.
    pathway = client.get("/parcours/", FOOD_PROJECT)
    assert pathway.status_code == 200
    assert pathway.context["result"].venues == []
    page = text(pathway)
    assert "Lieux qui peuvent vous accueillir" in page
    assert "Aucun lieu n'a encore dit dans Cartess qu'il propose ce service" in page
    assert "Déclarer un besoin de locaux" in page

    # /lieux/ filtered the same way: none, said with what to do next.
    rooms = client.get("/lieux/", {"service": "salles", "quartier": MOULINS})
    assert names(rooms) == []
    said = text(rooms)
    assert "Aucun lieu n'a encore dit dans Cartess qu'il propose ce service ici" in said
    assert "n'est rattaché à aucun quartier" in said
    # The quartier alone shows the three real third places of Moulins, to ask for room.
    nearby = client.get("/lieux/", {"quartier": MOULINS})
    assert names(nearby) == MOULINS_PLACES
    assert text(nearby).count("Ce lieu n'a pas encore dit ce qu'il propose.") == 3
    assert text(nearby).count("Demander un espace à") == 3
    # Each link leads to the place's request page (not a 404). The 2019 inventory gives
    # them no e-mail and nobody has claimed them yet: the page says so and leads to the
    # premises need instead of taking a request that would reach nobody.
    for place in nearby.context["page_obj"].object_list:
        asked = client.get(f"/organisations/{place.slug}/demander-un-espace/")
        assert asked.status_code == 200
        said = text(asked)
        assert "une demande ne pourrait être transmise à personne" in said
        assert "Déclarer un besoin de locaux" in said
        page = text(client.get(f"/organisations/{place.slug}/"))
        assert "Lieu de l'ESS" in page
        assert "Demander un espace" in page

    # The unified search: no place found by the service's words, and the way to the list.
    search = client.get("/recherche/", {"q": "salle de réunion"})
    assert "Aucun lieu trouvé." in text(search)
    assert search.context["result"].places_url == "/lieux/?service=salles"


def test_the_maison_de_l_ess_declares_its_services_and_holders_find_them(client, demo):
    owner = make_user("mess-accueil")
    OrganisationEditor.objects.create(user=owner, organisation=demo)
    offer_url = f"/lieux/{demo.slug}/offre/"
    assert client.get(offer_url).status_code in (302, 403)  # not for the public
    client.force_login(owner)
    assert client.get(offer_url).status_code == 200
    declared = form_data(
        services=[
            {"kind": "salles", "price": "15 € la demi-journée", "on_reservation": "on"},
            {"kind": "domiciliation", "free": "on", "social_lease": "on"},
        ],
        spaces=[{"name": "Salle du rez-de-chaussée", "capacity": "20"}],
    )
    assert client.post(offer_url, declared).status_code == 302
    client.logout()

    page = text(client.get(f"/organisations/{demo.slug}/"))
    assert "Salle de réunion ou d'activité" in page
    assert "Tarif : 15 € la demi-journée" in page
    # A holder now finds it: by service on /lieux/, in the pathway, in the unified search.
    assert names(client.get("/lieux/", {"service": "salles"})) == [demo.name]
    venues = client.get("/parcours/", FOOD_PROJECT).context["result"].venues
    assert [venue.organisation.name for venue in venues] == [demo.name]
    assert venues[0].distance_m is None  # no point in the offline demo: no distance invented
    search = client.get("/recherche/", {"q": "salle de réunion"})
    assert demo.name in text(search)
    # And the network's table says it.
    network = client.get("/lieux/reseau/").context["network"]
    mess = next(place for place in network.places if place.organisation.pk == demo.pk)
    assert mess.services == {"salles", "domiciliation"}


def test_the_city_services_see_the_gaps_per_quartier_without_false_gaps(client, demo):
    response = client.get("/lieux/reseau/")
    network = response.context["network"]
    assert [place.organisation.name for place in network.places] == TOTEMS
    assert all(not place.located for place in network.places)
    gaps = {gap.name: gap for gap in network.gaps}
    assert len(gaps) == 12  # every quartier of Lille, Hellemmes and Lomme
    assert (gaps["Lille-Moulins"].places, gaps["Lille-Moulins"].declared) == (3, 0)
    assert gaps["Lomme"].places == 0
    page = text(response)
    assert "sans position sur la carte" in page
    assert "ils ne sont comptés dans aucun quartier" in page
    assert (
        "Lille-Moulins (3 lieux) : aucun de ces lieux n'a encore dit ce qu'il propose : "
        "les manques ne sont pas connus." in page
    )
    assert "Lomme (0 lieu) : aucun lieu de l'ESS connu dans ce quartier" in page
    export = client.get("/lieux/reseau/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(export), delimiter=";"))
    assert [row["lieu"] for row in rows] == TOTEMS
    assert {row["lieu_totem"] for row in rows} == {"oui"}
