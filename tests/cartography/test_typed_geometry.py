"""The text alternative to drawing a site: a point's latitude and longitude, or an outline
pasted as WKT or GeoJSON, checked by the same rules as a drawing (valid, inside Lille)."""

import json

import pytest
from django.core.exceptions import ValidationError

from cartography.geometry_input import outline_parse
from cartography.models import Premises
from tests.cartography.test_land_sites import site_form
from tests.factories import FIVES, WAZEMMES, make_premises, square_around

SQUARE_WKT = "POLYGON ((3.06 50.63, 3.061 50.63, 3.061 50.631, 3.06 50.631, 3.06 50.63))"
BOWTIE_WKT = "POLYGON ((3.06 50.63, 3.07 50.64, 3.07 50.63, 3.06 50.64, 3.06 50.63))"
PARIS_WKT = "POLYGON ((2.35 48.85, 2.36 48.85, 2.36 48.86, 2.35 48.85))"


# --- Reading the text -------------------------------------------------------------------------


def test_a_wkt_polygon_becomes_a_multipolygon_in_wgs84():
    outline = outline_parse(text=SQUARE_WKT)
    assert outline.geom_type == "MultiPolygon"
    assert outline.srid == 4326
    assert outline[0].exterior_ring.coords[1] == (3.061, 50.63)


def test_geojson_geometries_features_and_single_feature_collections_are_read():
    polygon = json.loads(square_around(FIVES, 50).geojson)
    feature = {"type": "Feature", "properties": {}, "geometry": polygon}
    for text in (
        json.dumps(polygon),
        json.dumps(feature),
        json.dumps({"type": "FeatureCollection", "features": [feature]}),
        "SRID=4326;" + SQUARE_WKT,
    ):
        assert outline_parse(text=text).srid == 4326


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pas un contour", "Contour illisible"),
        ('{"type": "Polygon"', "Contour illisible"),
        ("POINT (3.06 50.63)", "Le contour doit être un polygone"),
        (
            "SRID=2154;POLYGON ((704000 7059000, 704100 7059000, 704100 7059100, 704000 7059000))",
            "Seules les coordonnées en longitude et latitude WGS 84",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "crs": {"type": "name", "properties": {"name": "EPSG:2154"}},
                    "coordinates": [
                        [[704000, 7059000], [704100, 7059000], [704000, 7059100], [704000, 7059000]]
                    ],
                }
            ),
            "Seules les coordonnées en longitude et latitude WGS 84",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": [{}, {}]}),
            "Collez un seul contour",
        ),
        (json.dumps({"type": "FeatureCollection", "features": [1]}), "Contour illisible"),
        (json.dumps({"type": "Feature", "geometry": None}), "Contour illisible"),
        ("[3.06, 50.63]", "Contour illisible"),
    ],
    ids=[
        "garbage",
        "broken-json",
        "point",
        "ewkt-lambert93",
        "geojson-crs",
        "two-features",
        "feature-not-an-object",
        "feature-without-geometry",
        "json-array",
    ],
)
def test_unreadable_or_foreign_text_gets_a_french_error(text, message):
    with pytest.raises(ValidationError) as error:
        outline_parse(text=text)
    assert message in error.value.messages[0]


# --- Through the form -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_site_placed_by_typing_its_coordinates(staff_client):
    response = staff_client.post(
        "/foncier/sites/nouveau/",
        site_form(location="", latitude="50,6263", longitude="3,0497"),  # French decimal comma
    )
    assert response.status_code == 302
    site = Premises.objects.get()
    assert (round(site.location.x, 4), round(site.location.y, 4)) == (3.0497, 50.6263)


@pytest.mark.django_db
def test_typed_coordinates_need_both_halves_and_must_be_in_lille(staff_client):
    half = staff_client.post("/foncier/sites/nouveau/", site_form(location="", latitude="50.63"))
    assert "Indiquez la latitude et la longitude, ou aucune des deux." in half.content.decode()
    assert "longitude" in half.context["form"].errors

    paris = staff_client.post(
        "/foncier/sites/nouveau/", site_form(location="", latitude="48.8566", longitude="2.3522")
    )
    assert "sort du territoire de Lille" in paris.context["form"].errors["latitude"][0]
    assert 'href="#id_latitude"' in paris.content.decode()  # the error summary leads there
    assert not Premises.objects.exists()


@pytest.mark.django_db
def test_a_site_outlined_by_pasting_wkt_gets_its_surface(staff_client):
    response = staff_client.post(
        "/foncier/sites/nouveau/",
        site_form(location="", footprint="", footprint_text=SQUARE_WKT),
        follow=True,
    )
    site = Premises.objects.get()
    assert site.footprint.num_geom == 1
    # 0.001° x 0.001° at Lille's latitude: about 71 m x 111 m, computed in Lambert 93.
    area = response.context["context"].computed_area_m2
    assert 7_800 < area < 7_950
    assert f"{area:.0f} m²" in response.content.decode()


@pytest.mark.django_db
def test_pasted_outlines_follow_the_drawing_rules(staff_client):
    for text, message in (
        (BOWTIE_WKT, "ses côtés se croisent"),
        (PARIS_WKT, "sort du territoire de Lille"),
        ("LINESTRING (3.06 50.63, 3.07 50.64)", "Le contour doit être un polygone"),
    ):
        response = staff_client.post(
            "/foncier/sites/nouveau/", site_form(location="", footprint_text=text)
        )
        assert response.status_code == 200
        assert message in response.context["form"].errors["footprint_text"][0]
    assert not Premises.objects.exists()


@pytest.mark.django_db
def test_the_edit_form_reads_the_geometry_as_text_and_a_drawing_still_wins(staff_client):
    site = make_premises("Friche rue de Lannoy", location=FIVES.clone(), footprint=None)
    url = f"/foncier/{site.slug}/modifier/"
    form = staff_client.get(url).context["form"]
    assert form.initial["latitude"] == round(FIVES.y, 6)
    assert form.initial["longitude"] == round(FIVES.x, 6)

    # A point drawn elsewhere, the typed coordinates left as shown: the drawing is kept.
    data = site_form(
        name=site.name, location=WAZEMMES.geojson, latitude="50,633", longitude="3,0871"
    )
    assert staff_client.post(url, data).status_code == 302
    site.refresh_from_db()
    assert site.location.equals_exact(WAZEMMES, 1e-9)

    # Coordinates typed anew move the point.
    data = site_form(name=site.name, location=WAZEMMES.geojson, latitude="50,64", longitude="3,06")
    assert staff_client.post(url, data).status_code == 302
    site.refresh_from_db()
    assert (site.location.y, site.location.x) == (50.64, 3.06)


@pytest.mark.django_db
def test_the_drawing_maps_are_described_for_screen_readers(staff_client):
    body = staff_client.get("/foncier/sites/nouveau/").content.decode()
    for map_id in ("id_location-map", "id_footprint-map"):
        assert f'id="{map_id}" class="leaflet-container-default" role="region"' in body
        assert f'aria-describedby="{map_id}-aide"' in body
        assert f'id="{map_id}-aide"' in body
    assert "activez le bouton « Dessiner un point »" in body
    assert "saisissez plutôt la latitude et la longitude" in body
    assert "collez plutôt le contour en WKT ou en GeoJSON" in body
    # The typed fields have labels and hints tied to them.
    assert '<label for="id_latitude">Latitude du point</label>' in body
    assert 'aria-describedby="id_footprint_text_helptext"' in body
    assert 'id="id_footprint_text_helptext"' in body
