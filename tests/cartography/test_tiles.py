"""Vector tiles /tiles/<layer>/{z}/{x}/{y}.pbf and their TileJSON (issue 18), decoded with
GDAL's MVT driver."""

import re
import shutil
import subprocess

import mercantile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import PublicationStatus
from tests.factories import (
    FIVES,
    LILLE_CENTRE,
    LOMME,
    WAZEMMES,
    make_area,
    make_organisation,
    make_premises,
)

pytestmark = pytest.mark.django_db

OGRINFO = shutil.which("ogrinfo") or "/usr/bin/ogrinfo"  # gdal-bin: config/dev/system-deps.sh
CITY_ZOOM = 14


def tile_of(point, z: int = CITY_ZOOM) -> tuple[int, int, int]:
    found = mercantile.tile(point.x, point.y, z)
    return z, found.x, found.y


def decode(tmp_path, content: bytes, z: int, x: int, y: int) -> str:
    """What GDAL's MVT driver reads in the tile `content`."""
    path = tmp_path / f"{z}-{x}-{y}.pbf"
    path.write_bytes(content)
    done = subprocess.run(
        [OGRINFO, "-ro", "-al", "-oo", f"X={x}", "-oo", f"Y={y}", "-oo", f"Z={z}", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def counts(read: str) -> list[int]:
    """The `count` of each cluster GDAL read, in order."""
    return sorted(int(n) for n in re.findall(r"count \(Integer\) = (\d+)", read))


@pytest.fixture
def fives():
    make_organisation("Les Jardins de Fives", location=FIVES.clone())
    make_organisation("La Grappe", location=WAZEMMES.clone(), kinds=("accompagnement",))
    make_premises("Friche Fives Cail", publication_status=PublicationStatus.PUBLISHED)
    make_premises("Hangar en discussion", location=FIVES.clone(), owner_name="SPL Euralille")


def test_city_tile_holds_the_organisations_with_their_properties(client, fives, tmp_path):
    z, x, y = tile_of(FIVES)
    answer = client.get(f"/tiles/organisations/{z}/{x}/{y}.pbf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert answer["ETag"]
    read = decode(tmp_path, answer.content, z, x, y)
    assert "Geometry: Point" in read
    assert "name (String) = Les Jardins de Fives" in read
    assert "La Grappe" not in read  # Wazemmes lies in another tile at this zoom
    assert "entreprise-ess" in read  # kinds, a JSON array, kept as text
    fives_3857 = FIVES.transform(3857, clone=True)  # GDAL reads tiles in Web Mercator
    assert f"POINT ({fives_3857.x:.0f}." in read or f"POINT ({fives_3857.x - 1:.0f}." in read


def test_map_filters_apply_to_tiles(client, fives, tmp_path):
    z, x, y = tile_of(WAZEMMES, 12)
    url = f"/tiles/organisations/{z}/{x}/{y}.pbf"
    support = client.get(url, {"kind": "accompagnement"})
    read = decode(tmp_path, support.content, z, x, y)
    assert "La Grappe" in read
    assert "Les Jardins de Fives" not in read
    others = client.get(url, {"kind": "entreprise-ess"}).content
    assert not others or "La Grappe" not in decode(tmp_path, others, z, x, y)


def test_staff_premises_only_for_city_staff(client, fives, city_staff, tmp_path):
    z, x, y = tile_of(FIVES)
    public = decode(tmp_path, client.get(f"/tiles/premises/{z}/{x}/{y}.pbf").content, z, x, y)
    assert "Friche Fives Cail" in public
    assert "Hangar en discussion" not in public
    assert "SPL Euralille" not in public
    client.force_login(city_staff)
    staff = client.get(f"/tiles/premises/{z}/{x}/{y}.pbf")
    assert staff["Cache-Control"] == "private, no-store"
    assert "SPL Euralille" in decode(tmp_path, staff.content, z, x, y)


def test_region_tile_draws_the_areas(client, tmp_path):
    make_area("quartier", "59350-4", "Fives", (3.08, 50.62, 3.10, 50.64))
    z, x, y = tile_of(FIVES, 8)
    read = decode(tmp_path, client.get(f"/tiles/areas-quartier/{z}/{x}/{y}.pbf").content, z, x, y)
    assert "Fives" in read
    assert "POLYGON" in read


def test_empty_tile_is_an_empty_answer(client, fives):
    answer = client.get("/tiles/organisations/14/0/0.pbf")
    assert answer.status_code == 200
    assert answer.content == b""


def test_tilejson_names_the_tiles_with_the_filters(client, fives):
    tilejson = client.get("/tiles/organisations.json", {"kind": "accompagnement"}).json()
    assert tilejson["tilejson"] == "3.0.0"
    (url,) = tilejson["tiles"]
    assert url.endswith("/tiles/organisations/{z}/{x}/{y}.pbf?kind=accompagnement")
    assert tilejson["vector_layers"][0]["id"] == "organisations"
    assert "name" in tilejson["vector_layers"][0]["fields"]


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/tiles/organisations/23/0/0.pbf", 400, "z doit"),
        ("/tiles/organisations/2/4/0.pbf", 404, "de 0 à 3"),
        ("/tiles/organisations/2/-1/0.pbf", 404, "de 0 à 3"),
        ("/tiles/organisations/null/0/0.pbf", 404, "nombres entiers"),
        ("/tiles/organisations/99999999999/0/0.pbf", 400, "hors limites"),
        ("/tiles/organisations/10/0/0.pbf?bbox=1,2,3,4", 400, "bbox"),
        ("/tiles/organisations/10/0/0.pbf?kind=<b>", 400, "identifiant"),
        ("/tiles/rues/10/0/0.pbf", 404, "rues"),
        ("/tiles/funding-schemes/10/0/0.pbf", 404, "géométrie"),
        ("/tiles/rues.json", 404, "rues"),
        ("/tiles/%C3%A9t%C3%A9.json", 404, "été"),
        ("/tiles/%C3%A9t%C3%A9/0/0/0.pbf", 404, "été"),
    ],
)
def test_bad_tiles_are_refused_in_french(client, url, status, words):
    answer = client.get(url)
    assert answer.status_code == status
    assert words in answer.json()["description"]


def test_a_tile_is_one_statement(client, fives, django_assert_max_num_queries):
    z, x, y = tile_of(FIVES)
    with django_assert_max_num_queries(1):
        answer = client.get(f"/tiles/organisations/{z}/{x}/{y}.pbf")
    assert answer.content


def test_region_tile_holds_clusters_with_their_count(client, fives, tmp_path):
    z, x, y = tile_of(FIVES, 5)
    read = decode(tmp_path, client.get(f"/tiles/organisations/{z}/{x}/{y}.pbf").content, z, x, y)
    assert counts(read) == [2] or counts(read) == [1, 1]  # one cell, or two across a line
    assert "Les Jardins de Fives" not in read
    filtered = client.get(f"/tiles/organisations/{z}/{x}/{y}.pbf", {"kind": "accompagnement"})
    assert counts(decode(tmp_path, filtered.content, z, x, y)) == [1]


#: Three places of the metropolis far enough apart to fall in different clusters at zoom 8-9
#: in both grids (the tile's and the kept cells'), each with its own number of organisations.
CLUMPS = {
    LILLE_CENTRE: 3,
    LOMME: 1,
    Point(3.1410, 50.6233, srid=4326): 2,  # Villeneuve-d'Ascq, Hôtel de ville
}


def clusters_read(read: str) -> list[tuple[int, float, float]]:
    """Each cluster GDAL read: its count and point (Web Mercator), by count."""
    found = []
    for feature in read.split("OGRFeature(")[1:]:
        (count,) = re.findall(r"count \(Integer\) = (\d+)", feature)
        ((x, y),) = re.findall(r"POINT \(([-\d.]+) ([-\d.]+)\)", feature)
        found.append((int(count), float(x), float(y)))
    return sorted(found)


def reads_kept_cells(client, url: str, **query) -> bool:
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query)
    return any("cartography_mapcell" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("zoom", [8, 9])
def test_unfiltered_cluster_tile_reads_the_kept_cells_with_the_same_counts(client, tmp_path, zoom):
    for place, how_many in CLUMPS.items():
        for number in range(how_many):
            make_organisation(f"Acteur {number} {place.x}", location=place.clone())
    z, x, y = tile_of(LILLE_CENTRE, zoom)
    url = f"/tiles/organisations/{z}/{x}/{y}.pbf"

    kept = clusters_read(decode(tmp_path, client.get(url).content, z, x, y))
    computed = clusters_read(
        decode(tmp_path, client.get(url, {"kind": "entreprise-ess"}).content, z, x, y)
    )

    assert reads_kept_cells(client, url)
    assert not reads_kept_cells(client, url, kind="entreprise-ess")
    assert [n for n, _x, _y in kept] == [n for n, _x, _y in computed] == [1, 2, 3]
    metres_per_unit = 40_075_016 / 2**z / 4096  # one tile unit: where each draws its point
    for (_n, kept_x, kept_y), (_m, computed_x, computed_y) in zip(kept, computed, strict=True):
        assert abs(kept_x - computed_x) < 2 * metres_per_unit
        assert abs(kept_y - computed_y) < 2 * metres_per_unit


def test_every_cluster_zoom_reads_kept_cells(client, fives, tmp_path):
    z, x, y = tile_of(FIVES, 11)  # the last cluster zoom: level 8, cells of about 350 m
    url = f"/tiles/organisations/{z}/{x}/{y}.pbf"
    assert reads_kept_cells(client, url)
    assert sum(counts(decode(tmp_path, client.get(url).content, z, x, y))) == 2


def test_a_kept_cluster_tile_is_one_statement(client, fives, django_assert_max_num_queries):
    z, x, y = tile_of(FIVES, 6)
    with django_assert_max_num_queries(1):
        assert client.get(f"/tiles/organisations/{z}/{x}/{y}.pbf").content
