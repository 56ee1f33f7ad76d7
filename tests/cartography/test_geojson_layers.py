"""Every GeoJSON Cartess publishes names its layer (a top-level `"name"`, GDAL's layer name)
and draws areas as stored (MultiPolygon), exterior rings counter-clockwise (RFC 7946, 3.1.6)
(issue 18). Checked on the JSON, and with GDAL's own reader when `ogrinfo` is installed."""

import itertools
import shutil
import subprocess

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from directory.models import PublicationStatus
from tests.factories import FIVES, make_area, make_organisation, make_premises, make_user

pytestmark = pytest.mark.django_db

OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"  # gdal-bin: config/dev/system-deps.sh
PUBLIC = {
    "/api/v1/organisations/": "organisations",
    "/api/v1/areas/": "areas",
    "/api/v1/premises/": "premises",
    "/annuaire/export.geojson": "organisations",
}
#: A square around Fives whose ring runs clockwise, as Polygon.from_bbox writes it.
CLOCKWISE_SQUARE = MultiPolygon(Polygon.from_bbox((3.08, 50.62, 3.10, 50.64)), srid=4326)


def signed_area(ring: list[list[float]]) -> float:
    """Twice the signed area of `ring` (shoelace): positive when counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))


def assert_rfc7946_rings(geometry: dict) -> None:
    assert geometry["type"] == "MultiPolygon"
    for exterior, *holes in geometry["coordinates"]:
        assert signed_area(exterior) > 0
        assert all(signed_area(hole) < 0 for hole in holes)


@pytest.fixture
def published():
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    make_area("quartier", "59350-4", "Fives", CLOCKWISE_SQUARE)
    make_premises(
        "Friche Fives",
        footprint=CLOCKWISE_SQUARE,
        publication_status=PublicationStatus.PUBLISHED,
    )


@pytest.mark.parametrize(("url", "name"), PUBLIC.items())
def test_every_public_geojson_names_its_layer(client, published, url, name):
    collection = client.get(url).json()
    assert collection["type"] == "FeatureCollection"
    assert collection["name"] == name
    assert collection["features"]


def test_areas_are_multipolygons_wound_counter_clockwise(client, published):
    (feature,) = client.get("/api/v1/areas/").json()["features"]
    assert_rfc7946_rings(feature["geometry"])


def test_the_land_export_names_its_layer_and_winds_outlines(client, published):
    client.force_login(make_user("staff", is_staff=True, is_superuser=True))
    collection = client.get("/foncier/export.geojson").json()
    assert collection["name"] == "premises"
    assert_rfc7946_rings(collection["features"][0]["geometry"])


@pytest.mark.parametrize(("url", "name"), PUBLIC.items())
def test_gdal_reads_the_layer_name_and_geometry_type(client, published, tmp_path, url, name):
    path = tmp_path / "layer.geojson"
    path.write_bytes(client.get(url).content)
    summary = subprocess.run(
        [OGRINFO, "-ro", "-al", "-so", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Layer name: {name}" in summary
    expected = {"areas": "Multi Polygon"}.get(name, "Point")
    assert f"Geometry: {expected}" in summary
    # The collection's origin (cartography.origin) is the layer's description for GDAL.
    assert "DESCRIPTION=Sources : Cartess (licence : Licence Ouverte 2.0" in summary
