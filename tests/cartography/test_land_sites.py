"""/foncier/: the list with its filters, exports, site creation with geometry checks."""

import csv
import io
import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon

from cartography.models import AreaKind, Premises, ReferenceArea
from cartography.services import premises_geometry_validate
from tests.factories import (
    FIVES,
    LILLE_CENTRE,
    WAZEMMES,
    east_of,
    make_organisation,
    make_premises,
    square_around,
    square_east_of,
)

pytestmark = pytest.mark.django_db

BOWTIE = "SRID=4326;MULTIPOLYGON(((3.06 50.63,3.07 50.64,3.07 50.63,3.06 50.64,3.06 50.63)))"
PARIS = Point(2.3522, 48.8566, srid=4326)


def geojson(geometry) -> str:
    return geometry.geojson


# --- Geometry rules ---------------------------------------------------------------------------


def test_a_self_intersecting_outline_is_refused():
    errors = premises_geometry_validate(location=None, footprint=GEOSGeometry(BOWTIE))
    assert "ses côtés se croisent" in errors["footprint"]


def test_geometry_outside_lille_is_refused_by_bbox_then_by_communes():
    assert (
        "sort du territoire"
        in premises_geometry_validate(location=PARIS, footprint=None)["location"]
    )
    assert premises_geometry_validate(location=WAZEMMES.clone(), footprint=None) == {}
    # Once the communes are loaded, their outline is the rule: here, a small Lille-Centre.
    ReferenceArea.objects.create(
        kind=AreaKind.COMMUNE, code="59350", name="Lille", geometry=square_around(LILLE_CENTRE, 500)
    )
    assert premises_geometry_validate(location=LILLE_CENTRE.clone(), footprint=None) == {}
    assert "location" in premises_geometry_validate(location=WAZEMMES.clone(), footprint=None)
    half_out = square_east_of(LILLE_CENTRE, 100, side=400)
    assert "footprint" in premises_geometry_validate(location=None, footprint=half_out)


def test_a_site_needs_a_point_or_an_outline():
    assert "location" in premises_geometry_validate(location=None, footprint=None)


def site_form(**overrides) -> dict:
    data = {
        "name": "Ancienne école rue de Lannoy",
        "kind": "local-vacant",
        "description": "",
        "street": "rue de Lannoy",
        "postcode": "59800",
        "city": "Lille",
        "location": geojson(FIVES),
        "footprint": "",
        "surface_m2": "",
        "built_surface_m2": "350",
        "owner_type": "commune",
        "owner_name": "Ville de Lille",
        "status": "disponible",
        "available_from": "2027-01-15",
        "planning_zone": "U",
        "pollution": "non",
        "publication_status": "brouillon",
    }
    return data | overrides


def test_staff_create_a_site_drawn_on_the_map(staff_client):
    response = staff_client.post("/foncier/sites/nouveau/", site_form())
    assert response.status_code == 302
    site = Premises.objects.get()
    assert response["Location"] == f"/foncier/{site.slug}/"
    assert site.location.equals_exact(FIVES, 1e-6)
    assert site.owner_name == "Ville de Lille"
    assert site.pipeline_stage == "identifie"


def test_an_invalid_outline_is_explained(staff_client):
    response = staff_client.post(
        "/foncier/sites/nouveau/", site_form(footprint=GEOSGeometry(BOWTIE).geojson)
    )
    assert response.status_code == 200
    assert "ses côtés se croisent" in response.content.decode()
    assert not Premises.objects.exists()


def test_a_site_outside_lille_is_refused(staff_client):
    response = staff_client.post("/foncier/sites/nouveau/", site_form(location=geojson(PARIS)))
    assert "sort du territoire de Lille" in response.content.decode()
    assert not Premises.objects.exists()


def test_a_surface_far_from_the_drawn_outline_is_saved_with_a_warning(staff_client):
    outline = square_around(FIVES, 100)  # 10 000 m²
    response = staff_client.post(
        "/foncier/sites/nouveau/",
        site_form(location="", footprint=geojson(outline), surface_m2="4000"),
        follow=True,
    )
    body = response.content.decode()
    assert Premises.objects.count() == 1
    assert "s&#x27;écarte de 60 %" in body
    assert "Lambert 93" in body


def test_a_third_place_space_starts_from_the_real_place(staff_client):
    place = make_organisation("La Malterie", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    body = staff_client.get(f"/foncier/sites/nouveau/?tiers_lieu={place.slug}").content.decode()
    assert "Espace de La Malterie" in body


def test_staff_edit_a_site(staff_client):
    site = make_premises("Local", location=FIVES.clone())
    response = staff_client.post(
        f"/foncier/{site.slug}/modifier/", site_form(name="Local rénové", status="bientot")
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.status) == ("Local rénové", "bientot")


# --- List, filters and exports ----------------------------------------------------------------


@pytest.fixture
def sites():
    qpv = square_east_of(FIVES, 250)
    ReferenceArea.objects.create(kind=AreaKind.QPV, code="QN05906M", name="Fives", geometry=qpv)
    ReferenceArea.objects.create(
        kind=AreaKind.QUARTIER, code="59350-5", name="Fives", geometry=square_around(FIVES, 900)
    )
    make_premises(
        "Friche Fives Cail",
        location=FIVES.clone(),
        surface_m2=8000,
        owner_name="SPL Euralille",
        pollution="suspectee",
    )
    make_premises(
        "Local dans le QPV",
        kind="local-vacant",
        location=east_of(FIVES, 300),
        built_surface_m2=120,
        pipeline_stage="qualifie",
    )
    make_premises(
        "Atelier à Wazemmes",
        kind="bureau-atelier",
        location=WAZEMMES.clone(),
        built_surface_m2=60,
        owner_type="prive",
    )
    make_premises(
        "Terrain par son emprise",
        kind="terrain",
        location=None,
        footprint=MultiPolygon(Polygon.from_bbox((3.05, 50.62, 3.051, 50.621)), srid=4326),
        surface_m2=7000,
    )


def names(response) -> list[str]:
    return [site.name for site in response.context["sites"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Atelier à Wazemmes",
                "Friche Fives Cail",
                "Local dans le QPV",
                "Terrain par son emprise",
            ],
        ),
        ("?kind=friche&kind=terrain", ["Friche Fives Cail", "Terrain par son emprise"]),
        (
            "?surface_min=100&surface_max=8000",
            ["Friche Fives Cail", "Local dans le QPV", "Terrain par son emprise"],
        ),
        ("?owner_type=prive", ["Atelier à Wazemmes"]),
        ("?stage=qualifie", ["Local dans le QPV"]),
        ("?pollution=suspectee", ["Friche Fives Cail"]),
        ("?qpv=dans", ["Local dans le QPV"]),
        ("?qpv=proche", ["Friche Fives Cail", "Local dans le QPV"]),
    ],
)
def test_filters(staff_client, sites, query, expected):
    assert names(staff_client.get(f"/foncier/{query}")) == expected


def test_quartier_filter(staff_client, sites):
    fives = ReferenceArea.objects.get(kind=AreaKind.QUARTIER)
    response = staff_client.get(f"/foncier/?quartier={fives.pk}")
    assert names(response) == ["Friche Fives Cail", "Local dans le QPV"]


def test_the_list_page_has_a_map_and_a_table_in_few_queries(
    staff_client, sites, django_assert_max_num_queries
):
    # Session, user, two for the permissions, the sites, their GeoJSON, the quartiers, the
    # kinds of areas loaded (a filter on a missing layer says so): 8, however many sites.
    for extra in range(10):
        make_premises(f"Local {extra}", location=FIVES.clone())
    with django_assert_max_num_queries(8):
        response = staff_client.get("/foncier/")
    body = response.content.decode()
    assert "<caption>Sites sélectionnés, par nom</caption>" in body
    features = json.loads(response.context["features"])
    assert len(features["features"]) == 14
    assert {f["properties"]["stage"] for f in features["features"]} == {"identifie", "qualifie"}


def test_csv_export_of_the_selection_has_every_field(staff_client, sites):
    response = staff_client.get("/foncier/export.csv?kind=friche")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["nom"] == "Friche Fives Cail"
    assert rows[0]["proprietaire"] == "SPL Euralille"
    assert rows[0]["etape"] == "identifie"
    assert rows[0]["quartier"] == "Fives"
    assert not {"name", "owner_name", "pipeline_stage"} & set(rows[0])  # French only


def test_csv_export_says_where_each_site_is(staff_client, sites, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = staff_client.get("/foncier/export.csv")
    rows = {
        row["nom"]: row
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    }
    fives = rows["Friche Fives Cail"]
    site = Premises.objects.get(name="Friche Fives Cail")
    assert "." not in fives["longitude"]  # a decimal comma, for a French spreadsheet
    assert float(fives["longitude"].replace(",", ".")) == pytest.approx(site.location.x, abs=1e-6)
    assert float(fives["latitude"].replace(",", ".")) == pytest.approx(site.location.y, abs=1e-6)
    outlined = rows["Terrain par son emprise"]
    assert outlined["emprise_wkt"].startswith("MULTIPOLYGON (((")
    assert GEOSGeometry(outlined["emprise_wkt"], srid=4326).equals(
        Premises.objects.get(name="Terrain par son emprise").footprint
    )


def test_geojson_export_of_the_selection(staff_client, sites):
    response = staff_client.get("/foncier/export.geojson?kind=terrain")
    assert response["Content-Type"] == "application/geo+json"
    (feature,) = json.loads(response.content)["features"]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["name"] == "Terrain par son emprise"
    assert feature["properties"]["computed_surface_m2"] > 0


def test_invalid_filters_are_reported_not_crashing(staff_client, sites):
    response = staff_client.get("/foncier/?surface_min=abc&kind=inconnu")
    assert response.status_code == 200
    assert len(names(response)) == 4


def test_an_empty_selection_tells_the_officer_where_sites_come_from_not_a_command(
    staff_client,
):
    html = staff_client.get("/foncier/?surface_min=999999").content.decode()
    assert "Aucun site ne correspond" in html
    assert "Cartofriches (Cerema) et sont mises à jour chaque semaine" in html
    assert 'href="/foncier/tiers-lieux/"' in html
    assert "manage.py" not in html


# --- Third places -----------------------------------------------------------------------------


def test_third_places_without_spaces_are_listed_to_qualify(
    staff_client, django_assert_max_num_queries
):
    make_organisation("La Malterie", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    host = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    make_premises("Atelier partagé", kind="espace-tiers-lieu", third_place=host)
    make_organisation("Une SCOP", kinds=("entreprise-ess",))

    with django_assert_max_num_queries(8):
        response = staff_client.get("/foncier/tiers-lieux/")

    assert [o.name for o in response.context["to_qualify"]] == ["La Malterie"]
    assert [o.name for o in response.context["with_spaces"]] == ["Fives Cail"]
    assert "Atelier partagé" in response.content.decode()
    assert not Premises.objects.filter(third_place__name="La Malterie").exists()


def test_staff_record_what_a_third_place_offers(staff_client):
    place = make_organisation("La Malterie", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    url = f"/lieux/{place.slug}/offre/"
    body = staff_client.get("/foncier/tiers-lieux/").content.decode()
    assert f'href="{url}"' in body
    services = {
        "services-TOTAL_FORMS": "2",
        "services-INITIAL_FORMS": "0",
        "services-0-kind": "ateliers",
        "services-0-accessibility": "inconnue",
        "services-1-kind": "domiciliation",
        "services-1-accessibility": "inconnue",
        "espaces-TOTAL_FORMS": "0",
        "espaces-INITIAL_FORMS": "0",
    }
    assert staff_client.post(url, services).status_code == 302
    body = staff_client.get("/foncier/tiers-lieux/").content.decode()
    assert "Domiciliation, Atelier" in body  # in the taxonomy's order


def test_a_site_name_cannot_break_out_of_the_map_data(staff_client):
    make_premises("</script><script>alert('x')</script>", location=FIVES.clone())
    body = staff_client.get("/foncier/").content.decode()
    assert "<script>alert" not in body
    features = json.loads(staff_client.get("/foncier/").context["features"])
    assert features["features"][0]["properties"]["name"].startswith("</script>")


def test_the_public_map_invites_project_holders_to_declare_a_need(client):
    body = client.get("/carte/").content.decode()
    assert 'href="/foncier/besoins/nouveau/"' in body
    assert "Domiciliation" in body  # the labels of third places' offers, for the popups
