"""`manage.py bench_map`, reuse part: vector tiles and OGC API Features pages, each timed
through Django and beside the bare SQL it runs (the selector alone), on the same data.

The ratio (full p95 / SQL p95) says what routing, the view, the checks and the response
cost on top of PostgreSQL.
"""

import math
from collections.abc import Callable

from django.http import QueryDict
from django.test import Client

from bench.map_search import Timing, _percentiles
from cartography.ogc.collections import Selection, collection_get
from cartography.ogc.selectors import ogc_items_get
from cartography.tiles import tile_get

#: Lille's Grand'Place, the centre of every measured tile (lon, lat).
LILLE = (3.0573, 50.6292)
#: A city-zoom tile (streets) and a region-zoom tile (Hauts-de-France and beyond).
CITY_ZOOM, REGION_ZOOM = 14, 7
OGC_PAGE = 100


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The x, y of the web-mercator tile at zoom `z` holding the point (lon, lat)."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def _tile_runs(client: Client, z: int) -> tuple[Callable, Callable]:
    x0, y0 = tile_of(*LILLE, z)
    organisations = collection_get("organisations")
    empty = Selection(query=QueryDict())

    def full(index):  # pans one tile left or right, as a map does
        x = x0 + index % 3 - 1
        response = client.get(f"/tiles/organisations/{z}/{x}/{y0}.pbf")
        return f"HTTP {response.status_code}, {len(response.content)} octets"

    def bare(index):
        x = x0 + index % 3 - 1
        content = tile_get(collection=organisations, selection=empty, z=z, x=x, y=y0)
        return f"{len(content)} octets"

    return full, bare


def _ogc_runs(client: Client) -> tuple[Callable, Callable]:
    organisations = collection_get("organisations")
    url = "/ogc/collections/organisations/items"

    def full(index):  # walks the pages, as GDAL does
        response = client.get(url, {"limit": OGC_PAGE, "offset": index * OGC_PAGE})
        return f"HTTP {response.status_code}, {len(response.content)} octets"

    def bare(index):
        page = ogc_items_get(
            collection=organisations,
            selection=Selection(query=QueryDict()),
            limit=OGC_PAGE,
            offset=index * OGC_PAGE,
        )
        return f"{len(page.text)} octets"

    return full, bare


def reuse_time(*, runs: int = 100) -> list[Timing]:
    """p50/p95 (ms) of a city-zoom tile, a region-zoom tile and an OGC items page through
    Django, each followed by its bare SQL, whose detail gives the ratio of the two p95."""
    client = Client(SERVER_NAME="127.0.0.1")
    measures = [
        (f"tuile ville (Lille, z{CITY_ZOOM})", *_tile_runs(client, CITY_ZOOM)),
        (f"tuile région (Lille, z{REGION_ZOOM})", *_tile_runs(client, REGION_ZOOM)),
        (f"OGC items, page de {OGC_PAGE}", *_ogc_runs(client)),
    ]
    timings = []
    for label, full, bare in measures:
        full(0)  # warm up
        through = _percentiles(label, full, runs)
        sql_only = _percentiles(f"  {label} : SQL seule", bare, runs)
        ratio = through.p95_ms / sql_only.p95_ms if sql_only.p95_ms else float("nan")
        detail = f"{sql_only.detail} ; rapport p95 complet / SQL : {ratio:.2f}"
        timings += [through, Timing(sql_only.label, sql_only.p50_ms, sql_only.p95_ms, detail)]
    return timings
