"""`/api/v1/organisations/`: GeoJSON built by PostGIS, by bounding box and filters."""

import json

import pytest
from django.contrib.gis.geos import Point

from cartography.models import AreaKind
from directory.models import LegalFamily, Sector, Stage
from tests.factories import (
    DRAFT,
    FIVES,
    HELLEMMES,
    LILLE_CENTRE,
    LOMME,
    WAZEMMES,
    make_funding_scheme,
    make_organisation,
    make_support_offer,
)
from tests.factories import make_area as area

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"
LILLE_BBOX = "2.95,50.58,3.15,50.68"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(feature["properties"]["name"] for feature in response.json()["features"])


def test_bbox_returns_the_published_organisations_inside_as_points(client):
    make_organisation("La Coroutine", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    make_organisation("Sans adresse", kinds=("reseau",))
    make_organisation("Brouillon", location=LILLE_CENTRE.clone(), publication_status=DRAFT)
    make_organisation("À Paris", location=Point(2.35, 48.85, srid=4326))

    response = client.get(URL, {"bbox": LILLE_BBOX})

    assert response["Content-Type"] == "application/geo+json"
    payload = response.json()
    assert payload["type"] == "FeatureCollection"
    assert payload["mode"] == "points"
    assert payload["total"] == 2
    assert names(response) == ["Fives Cail", "La Coroutine"]


def test_each_feature_has_a_point_with_six_decimals_and_the_popup_essentials(client):
    make_organisation(
        "Maison de l'ESS",
        kinds=("reseau", "accompagnement"),
        location=Point(3.07271234567, 50.61971234567, srid=4326),
        street="235 boulevard Paul Painlevé",
    )

    feature = client.get(URL, {"bbox": LILLE_BBOX}).json()["features"][0]

    assert feature["geometry"] == {"type": "Point", "coordinates": [3.072712, 50.619712]}
    assert feature["properties"]["kinds"] == ["accompagnement", "reseau"]  # taxonomy order
    assert feature["properties"]["street"] == "235 boulevard Paul Painlevé"
    assert feature["properties"]["slug"].startswith("maison-de-less")


def test_coordinates_are_written_with_six_decimals_in_the_raw_payload(client):
    make_organisation("Point précis", location=Point(3.1, 50.6, srid=4326))

    raw = client.get(URL).content.decode()

    assert '"coordinates":[3.1,50.6]' in raw  # PostGIS trims trailing zeros
    assert json.loads(raw)["total"] == 1


@pytest.mark.parametrize(
    ("bbox", "message"),
    [
        ("3.0,50.6,3.1", "quatre nombres"),
        ("a,b,c,d", "quatre nombres"),
        ("3.1,50.6,3.0,50.7", "minimum doit être inférieur"),
        ("3.0,95,3.1,96", "latitudes"),
        ("-200,50,3.1,51", "longitudes"),
        ("nan,50,3,51", "quatre nombres"),
    ],
)
def test_a_bad_bbox_is_a_400_that_says_what_is_wrong_in_french(client, bbox, message):
    response = client.get(URL, {"bbox": bbox})

    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_kind_filter_accepts_several_kinds(client):
    make_organisation("Incubateur", kinds=("accompagnement",), location=FIVES.clone())
    make_organisation("Banque solidaire", kinds=("financeur",), location=WAZEMMES.clone())
    make_organisation("Tiers-lieu", kinds=("tiers-lieu",), location=LOMME.clone())

    assert names(client.get(URL, {"kind": "financeur"})) == ["Banque solidaire"]
    both = client.get(URL, {"kind": "financeur,accompagnement"})
    assert names(both) == ["Banque solidaire", "Incubateur"]
    repeated = client.get(f"{URL}?kind=financeur&kind=accompagnement")
    assert names(repeated) == ["Banque solidaire", "Incubateur"]


def test_an_invalid_slug_is_a_400(client):
    response = client.get(URL, {"kind": "pas un slug!"})

    assert response.status_code == 400
    assert "identifiant valide" in response.json()["erreur"]


def test_sector_filter(client):
    cyclo = make_organisation("L'Atelier vélo", location=FIVES.clone())
    cyclo.sectors.set(Sector.objects.filter(slug="velo-mobilites"))
    make_organisation("Ressourcerie", location=WAZEMMES.clone())

    assert names(client.get(URL, {"sector": "velo-mobilites"})) == ["L'Atelier vélo"]


def test_legal_family_filter(client):
    make_organisation(
        "SCOP Fives",
        location=FIVES.clone(),
        legal_family=LegalFamily.objects.get(slug="cooperative"),
    )
    make_organisation(
        "Asso Wazemmes",
        location=WAZEMMES.clone(),
        legal_family=LegalFamily.objects.get(slug="association"),
    )

    assert names(client.get(URL, {"legal_family": "cooperative"})) == ["SCOP Fives"]


def test_stage_filter_goes_through_support_offers_and_funding_schemes(client):
    incubator = make_organisation("Incubateur", kinds=("accompagnement",), location=FIVES.clone())
    offer = make_support_offer("Incubation", provider=incubator)
    offer.stages.set(Stage.objects.filter(slug="amorcage"))
    funder = make_organisation("Fonds local", kinds=("financeur",), location=WAZEMMES.clone())
    scheme = make_funding_scheme("Prêt de développement")
    scheme.stages.set(Stage.objects.filter(slug__in=["consolidation", "changement-d-echelle"]))
    scheme.funders.add(funder)
    hidden = make_organisation("Offre en brouillon", location=LOMME.clone())
    draft_offer = make_support_offer("Brouillon", provider=hidden, publication_status=DRAFT)
    draft_offer.stages.set(Stage.objects.filter(slug="amorcage"))

    assert names(client.get(URL, {"stage": "amorcage"})) == ["Incubateur"]
    assert names(client.get(URL, {"stage": "changement-d-echelle"})) == ["Fonds local"]
    assert names(client.get(URL, {"stage": "pre-amorcage"})) == []


def test_quartier_filter_by_code_or_slug(client):
    area(AreaKind.QUARTIER, "59350-4", "Fives", (3.075, 50.625, 3.10, 50.64))
    make_organisation("Fives Cail", location=FIVES.clone())
    make_organisation("Wazemmes", location=WAZEMMES.clone())

    assert names(client.get(URL, {"quartier": "59350-4"})) == ["Fives Cail"]
    assert names(client.get(URL, {"quartier": "fives"})) == ["Fives Cail"]
    assert names(client.get(URL, {"quartier": "wazemmes"})) == []


def test_quartier_slug_ignores_accents_and_spaces(client):
    area(AreaKind.QUARTIER, "59350-3", "Faubourg de Béthune", (3.04, 50.62, 3.056, 50.63))
    make_organisation("Place de la Nouvelle Aventure", location=WAZEMMES.clone())

    assert names(client.get(URL, {"quartier": "faubourg-de-bethune"})) == [
        "Place de la Nouvelle Aventure"
    ]


def test_qpv_filter_keeps_organisations_inside_a_qpv(client):
    area(AreaKind.QPV, "QN05906M", "Lille Sud", (3.04, 50.60, 3.08, 50.615))
    make_organisation("Au cœur du QPV", location=Point(3.06, 50.61, srid=4326))
    make_organisation("Hors QPV", location=HELLEMMES.clone())

    assert names(client.get(URL, {"qpv": "true"})) == ["Au cœur du QPV"]
    assert len(names(client.get(URL, {"qpv": "false"}))) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("velo", ["L'Atelier du Vélo"]),
        ("ccoperative", ["Coopérative Les Ateliers"]),
        ("cooperative", ["Coopérative Les Ateliers"]),
        ("insertion", ["Chantier d'insertion"]),
    ],
    ids=["no-accent", "typo", "accent-folded", "description"],
)
def test_q_is_french_unaccented_and_tolerates_typos(client, query, expected):
    make_organisation("L'Atelier du Vélo", location=FIVES.clone())
    make_organisation("Coopérative Les Ateliers", location=WAZEMMES.clone())
    make_organisation(
        "Chantier d'insertion",
        location=LOMME.clone(),
        description="Une structure d'insertion par l'activité économique.",
    )
    make_organisation("Tiers-lieu de Hellemmes", location=HELLEMMES.clone())

    assert names(client.get(URL, {"q": query})) == expected


def test_beyond_the_cap_the_server_returns_clusters_with_counts(client, settings):
    settings.CARTESS_MAP_POINT_CAP = 3
    for index in range(3):
        make_organisation(f"Fives {index}", location=Point(3.087 + index * 1e-4, 50.633, srid=4326))
    for index in range(2):
        make_organisation(
            f"Lomme {index}", location=Point(3.0148 + index * 1e-4, 50.644, srid=4326)
        )

    payload = client.get(URL, {"bbox": LILLE_BBOX}).json()

    assert payload["mode"] == "clusters"
    assert payload["total"] == 5
    counts = sorted(feature["properties"]["count"] for feature in payload["features"])
    assert counts == [2, 3]
    assert all(feature["properties"]["cluster"] for feature in payload["features"])


def test_at_the_cap_the_server_still_returns_points(client, settings):
    settings.CARTESS_MAP_POINT_CAP = 2
    make_organisation("Fives", location=FIVES.clone())
    make_organisation("Lomme", location=LOMME.clone())

    assert client.get(URL).json()["mode"] == "points"


def test_the_map_endpoint_runs_one_query_whatever_the_filters(
    client, django_assert_max_num_queries
):
    for index in range(30):
        organisation = make_organisation(f"Acteur {index}", location=FIVES.clone())
        organisation.sectors.set(Sector.objects.filter(slug="culture"))
    query = {
        "bbox": LILLE_BBOX,
        "kind": "entreprise-ess",
        "sector": "culture",
        "stage": "amorcage,consolidation",
        "legal_family": "association",
        "quartier": "fives",
        "qpv": "true",
        "q": "acteur",
    }

    area(AreaKind.QPV, "QN05906M", "Fives", (3.08, 50.62, 3.10, 50.64))
    area(AreaKind.QUARTIER, "59350-5", "Fives", (3.07, 50.62, 3.11, 50.65))

    # One statement for the features, one for the collection's origin (sources, licence,
    # date); a filter on QPV or quartiers also checks that their layer is loaded.
    with django_assert_max_num_queries(3):
        assert client.get(URL, query).status_code == 200
    with django_assert_max_num_queries(2):
        assert len(names(client.get(URL, {"bbox": LILLE_BBOX}))) == 30


def test_the_openapi_schema_documents_the_organisations_endpoint(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    operation = response.json()["paths"]["/api/v1/organisations/"]["get"]
    documented = {parameter["name"] for parameter in operation["parameters"]}
    assert {"bbox", "kind", "sector", "stage", "legal_family", "quartier", "qpv", "q"} <= documented


@pytest.mark.parametrize("query", ["!!!", "a & b | c", "x:*", "'); drop table", "l'atelier"])
def test_any_text_query_is_safe(client, query):
    make_organisation("L'Atelier", location=FIVES.clone())
    make_organisation("Coroutine", location=WAZEMMES.clone())

    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    if query == "l'atelier":
        assert names(response) == ["L'Atelier"]
