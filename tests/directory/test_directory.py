"""`/annuaire/`: search, sorting, pagination and exports of the directory."""

import csv
import io

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Sector
from directory.services import search_words_refresh
from tests.factories import DRAFT, FIVES, HELLEMMES, LOMME, WAZEMMES, make_organisation

pytestmark = pytest.mark.django_db

URL = "/annuaire/"


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["result"].organisations]


@pytest.fixture
def lille_actors():
    velo = make_organisation("L'Atelier du Vélo", kinds=("entreprise-ess",), location=FIVES.clone())
    velo.sectors.set(Sector.objects.filter(slug="velo-mobilites"))
    make_organisation("Coopérative Les Ateliers", kinds=("entreprise-ess",), location=LOMME.clone())
    make_organisation(
        "Chantier d'insertion Wazemmes",
        kinds=("siae",),
        location=WAZEMMES.clone(),
        description="Réemploi de vélos et insertion.",
    )
    make_organisation("Réseau sans adresse", kinds=("reseau",))
    make_organisation("Brouillon coopératif", publication_status=DRAFT)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("velo", "L'Atelier du Vélo"),
        ("vélo", "L'Atelier du Vélo"),
        ("ccoperative", "Coopérative Les Ateliers"),
        ("COOPERATIVE", "Coopérative Les Ateliers"),
    ],
)
def test_search_ignores_accents_and_tolerates_a_typo(client, lille_actors, query, first):
    names = listed(client.get(URL, {"q": query}))

    assert names[0] == first
    assert "Brouillon coopératif" not in names


def test_a_typo_finds_a_word_of_the_presentation(client, lille_actors):
    make_organisation(
        "Autonomie et Solidarité",
        kinds=("financeur",),
        description="Société coopérative de capital-risque solidaire.",
    )
    search_words_refresh()  # as an import run or an edit in the admin does

    names = listed(client.get(URL, {"q": "ccoperative"}))

    assert "Autonomie et Solidarité" in names
    assert "Brouillon coopératif" not in names


def test_corrected_typos_never_surface_a_draft(client, lille_actors):
    search_words_refresh()

    assert "Brouillon coopératif" not in listed(client.get(URL, {"q": "coopratif"}))
    assert listed(client.get(URL, {"q": "insrtion"}))[0] == "Chantier d'insertion Wazemmes"


def test_velo_finds_the_name_first_then_the_description(client, lille_actors):
    assert listed(client.get(URL, {"q": "velo"})) == [
        "L'Atelier du Vélo",
        "Chantier d'insertion Wazemmes",
    ]


def test_the_result_count_is_announced(client, lille_actors):
    response = client.get(URL, {"kind": "entreprise-ess"})

    html = response.content.decode()
    assert '<p class="result-count" role="status" aria-live="polite"' in html
    assert "2 organisations trouvées" in html


def test_without_a_query_organisations_are_sorted_by_name_without_minding_accents(client):
    for name in ("Zèbre", "Élan", "Abeille", "Ecole"):
        make_organisation(name)

    assert listed(client.get(URL)) == ["Abeille", "Ecole", "Élan", "Zèbre"]


def test_sort_by_distance_from_a_point_puts_organisations_without_a_point_last(
    client, lille_actors
):
    response = client.get(URL, {"sort": "distance", "lat": HELLEMMES.y, "lon": HELLEMMES.x})

    assert listed(response) == [
        "L'Atelier du Vélo",
        "Chantier d'insertion Wazemmes",
        "Coopérative Les Ateliers",
        "Réseau sans adresse",
    ]
    assert "à 1,7 km" in response.content.decode()


def test_sort_by_distance_walks_the_index_nearest_first_in_metres_not_degrees(client):
    # At Lille's latitude 0.010° of longitude (~710 m) is nearer than 0.008° of latitude
    # (~890 m): an order by degrees would put the northern one first.
    make_organisation("Au nord", location=Point(3.0573, 50.6372, srid=4326))
    make_organisation("À l'est", location=Point(3.0673, 50.6292, srid=4326))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"sort": "distance", "lat": 50.6292, "lon": 3.0573})

    assert listed(response) == ["À l'est", "Au nord"]
    page = next(q["sql"] for q in queries.captured_queries if "ST_DistanceSphere" in q["sql"])
    assert "<->" in page.split("ORDER BY")[1]
    assert "ST_DistanceSphere" not in page.split("ORDER BY")[1]


def test_sort_by_distance_without_a_point_falls_back_to_the_name(client, lille_actors):
    response = client.get(URL, {"sort": "distance"})

    assert response.context["result"].sort == "name"


def test_pagination_keeps_the_filters(client):
    for index in range(45):
        make_organisation(f"Acteur {index:02d}", kinds=("siae",))
    make_organisation("Autre type", kinds=("reseau",))

    first = client.get(URL, {"kind": "siae"})
    third = client.get(URL, {"kind": "siae", "page": 3})

    assert len(listed(first)) == 20
    assert listed(third) == [f"Acteur {index}" for index in range(40, 45)]
    assert 'href="?kind=siae&amp;page=2"' in first.content.decode()
    assert client.get(URL, {"kind": "siae", "page": 4}).status_code == 404


def test_a_bad_filter_is_explained(client):
    response = client.get(URL, {"kind": "pas valide!"})

    assert response.status_code == 400
    assert "n&#x27;est pas un identifiant valide" in response.content.decode()


def test_csv_export_holds_the_whole_current_result(client, lille_actors):
    response = client.get("/annuaire/export.csv", {"q": "velo"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["nom"] for row in rows] == ["L'Atelier du Vélo", "Chantier d'insertion Wazemmes"]
    assert rows[0]["filieres"] == "Vélo et mobilités douces"
    assert rows[0]["types"] == "Entreprise de l'ESS"
    assert (rows[0]["longitude"], rows[0]["latitude"]) == ("3,087100", "50,633000")


def test_geojson_export_keeps_organisations_without_a_point(client, lille_actors):
    response = client.get("/annuaire/export.geojson", {"kind": "reseau,entreprise-ess"})

    assert response.status_code == 200
    features = response.json()["features"]
    by_name = {feature["properties"]["name"]: feature for feature in features}
    assert list(by_name) == [
        "Coopérative Les Ateliers",
        "L'Atelier du Vélo",
        "Réseau sans adresse",
    ]
    assert by_name["Réseau sans adresse"]["geometry"] is None
    assert by_name["L'Atelier du Vélo"]["geometry"]["coordinates"] == [3.0871, 50.633]
    assert by_name["L'Atelier du Vélo"]["properties"]["kinds"] == ["entreprise-ess"]


def test_directory_page_query_count_does_not_grow_with_the_page(
    client, django_assert_max_num_queries
):
    for index in range(25):
        organisation = make_organisation(f"Acteur {index}", location=Point(3.06, 50.63, srid=4326))
        organisation.sectors.set(Sector.objects.filter(slug="culture"))

    # Choices (5) and the layers of areas loaded, the page, the organisations, kinds,
    # sectors, plus sessions/auth: none.
    with django_assert_max_num_queries(11):
        response = client.get(URL, {"q": "acteur", "sector": "culture"})
    assert len(listed(response)) == 20
