"""The unfiltered organisation map read from the grid cells PostgreSQL keeps
(cartography.map_cells, issue 20): the same answer as the clusters computed from the points,
kept right through every kind of change."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartography.map_cells import cluster_level, map_cells_compact, map_cells_rebuild
from cartography.models import MapCell
from directory.filters import BBox
from directory.models import Organisation
from importers.engine.services import source_import
from tests.factories import FIVES, LILLE_CENTRE, LOMME, WAZEMMES, east_of, make_organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"
LILLE_BBOX = "2.95,50.58,3.15,50.68"
#: Every organisation the factories make carries this kind: a filter that keeps them all,
#: and sends the request down the path that clusters the points.
EVERY_KIND = "entreprise-ess"


def spread(count: int = 15) -> list[Organisation]:
    places = [LILLE_CENTRE, WAZEMMES, FIVES, LOMME]
    return [
        make_organisation(
            f"Acteur {number}", location=east_of(places[number % 4], 40 * (number // 4))
        )
        for number in range(count)
    ]


def answer(client, **query) -> dict:
    payload = client.get(URL, query).json()
    payload["features"] = sorted(
        (
            feature["properties"]["count"],
            round(feature["geometry"]["coordinates"][0], 6),
            round(feature["geometry"]["coordinates"][1], 6),
        )
        for feature in payload["features"]
    )
    return payload


def reads_kept_cells(client, **query) -> bool:
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, query)
    return any("cartography_mapcell" in q["sql"] for q in queries.captured_queries)


def kept_cells() -> dict[tuple, tuple]:
    """Each non-empty cell as the rows sum it: organisations and coordinate sums."""
    cells: dict[tuple, list] = {}
    for cell in MapCell.objects.all():
        total = cells.setdefault((cell.level, cell.gx, cell.gy), [0, 0.0, 0.0])
        total[0] += cell.n
        total[1] += cell.sum_x
        total[2] += cell.sum_y
    return {key: (n, round(x, 6), round(y, 6)) for key, (n, x, y) in cells.items() if n}


def kept_equals_recounted() -> None:
    kept = kept_cells()
    map_cells_rebuild()
    assert kept == kept_cells()


@pytest.mark.parametrize("extent", [{"bbox": LILLE_BBOX}, {}])
def test_the_kept_cells_answer_what_the_points_answer(client, settings, extent):
    settings.CARTESS_MAP_POINT_CAP = 3
    spread()

    kept = answer(client, **extent)
    computed = answer(client, kind=EVERY_KIND, **extent)

    assert reads_kept_cells(client, **extent)
    assert not reads_kept_cells(client, kind=EVERY_KIND, **extent)
    assert kept["mode"] == "clusters"
    assert kept == computed
    assert sum(count for count, _x, _y in kept["features"]) == 15


def test_below_the_cap_the_kept_path_gives_the_points(client, settings):
    settings.CARTESS_MAP_POINT_CAP = 20
    spread(5)

    kept = client.get(URL, {"bbox": LILLE_BBOX}).json()

    assert kept == client.get(URL, {"bbox": LILLE_BBOX, "kind": EVERY_KIND}).json()
    assert (kept["mode"], kept["total"]) == ("points", 5)


def test_a_city_extent_clusters_the_points_at_request_time(client, settings):
    settings.CARTESS_MAP_POINT_CAP = 3
    spread()

    assert cluster_level(BBox(3.060, 50.634, 3.067, 50.639)) >= 11  # cells under 56 m: not kept
    assert not reads_kept_cells(client, bbox="3.060,50.634,3.067,50.639")


def test_a_dense_city_view_sums_the_finer_kept_cells(client, settings):
    settings.CARTESS_MAP_POINT_CAP = 3
    spread()
    extent = {"bbox": "3.03,50.62,3.07,50.645"}  # level 9: cells of about 110 m

    assert cluster_level(BBox(3.03, 50.62, 3.07, 50.645)) == 9
    assert reads_kept_cells(client, **extent)
    kept = answer(client, **extent)
    assert kept == answer(client, kind=EVERY_KIND, **extent)
    assert kept["mode"] == "clusters"


def test_every_change_is_kept_as_a_recount_would():
    moved, unpublished, closed, deleted, *_ = spread(8)

    Organisation.objects.filter(pk=moved.pk).update(location=Point(3.1, 50.65, srid=4326))
    Organisation.objects.filter(pk=unpublished.pk).update(publication_status="brouillon")
    Organisation.objects.filter(pk=closed.pk).update(closed_on="2026-11-30")
    deleted.delete()
    Organisation.objects.filter(pk=closed.pk).update(name="Renommée")  # changes no cell

    kept = kept_cells()
    kept_equals_recounted()
    assert sum(n for (level, _gx, _gy), (n, _x, _y) in kept.items() if level == 0) == 5


def test_an_import_is_kept_and_folded_into_one_row_per_cell():
    spread(4)

    source_import(slug="seed")

    kept_equals_recounted()
    source_import(slug="seed")  # the fold happens at the end of each successful run
    map_cells_compact()
    cells = list(MapCell.objects.values_list("level", "gx", "gy"))
    assert len(cells) == len(set(cells))
    assert not MapCell.objects.filter(n=0).exists()


def cell_rows() -> dict[tuple, tuple[int, bool]]:
    """Each row of the kept cells: (level, gx, gy) -> (its id, whether it is fresh)."""
    rows = MapCell.objects.values_list("level", "gx", "gy", "pk", "fresh")
    return {(level, gx, gy): (pk, fresh) for level, gx, gy, pk, fresh in rows}


def test_a_fold_rewrites_only_the_cells_that_changed():
    """After each run the fold reads the cells holding a change row, not every cell of
    every level (issue 20: 2,250,000 rows rewritten after each run at 1,000,000
    organisations); a fold with nothing to fold writes nothing."""
    moved, *_ = spread(8)
    map_cells_compact()
    folded = cell_rows()
    assert folded
    assert not any(fresh for _pk, fresh in folded.values())

    map_cells_compact()
    assert cell_rows() == folded  # the same rows: nothing deleted, nothing written

    Organisation.objects.filter(pk=moved.pk).update(location=Point(3.1, 50.65, srid=4326))
    assert MapCell.objects.filter(fresh=True).exists()
    map_cells_compact()
    after = cell_rows()
    changed = {cell for cell in folded.keys() | after.keys() if folded.get(cell) != after.get(cell)}
    # At most the old point's cell and the new one's, at each of the 11 levels; every other
    # cell kept its row.
    untouched = folded.keys() - changed
    assert untouched
    assert all(after[cell] == folded[cell] for cell in untouched)
    assert len(changed) <= 2 * 11
    assert not MapCell.objects.filter(fresh=True).exists()
    kept_equals_recounted()


def test_a_recount_writes_folded_cells():
    spread(4)

    map_cells_rebuild()

    rows = list(MapCell.objects.values_list("level", "gx", "gy", "fresh"))
    assert rows
    assert not any(fresh for *_cell, fresh in rows)
    assert len({tuple(cell) for *cell, _fresh in rows}) == len(rows)
