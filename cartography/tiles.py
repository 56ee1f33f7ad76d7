"""Vector tiles: `/tiles/<layer>/<z>/<x>/<y>.pbf` (Mapbox Vector Tile, ST_AsMVT in one
statement) and `/tiles/<layer>.json` (TileJSON 3.0.0), for every collection of `/ogc/` with
a geometry (cartography.ogc.collections: the same layers, filters and staff rule).

A tile takes the collection's own filters as query parameters (the map's filters for
organisations); city staff get the premises every site and field, like `/ogc/`. Outlines
are simplified to about a pixel of the zoom. Bad z, filter or layer: 400 or 404; x or y
outside the zoom's tiles: 404; each in the `/ogc/` exception JSON.
"""

import math
from urllib.parse import unquote

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from cartography import map_cells, sql
from cartography.ogc import params
from cartography.ogc.collections import Collection, Selection, collection_get
from cartography.ogc.readers import reader_is_staff
from cartography.ogc.selectors import ogc_extent_get, ogc_layer_missing
from cartography.ogc.views import ogc_errors

MVT = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 22
#: Degrees per pixel at zoom 0 of a 256-pixel tile, halved at each zoom: the simplification.
_DEGREES_PER_PIXEL_Z0 = 360 / 256


def tile_layer_get(name: str) -> Collection:
    """The collection served as tiles under `name`; 404 for a collection without geometry
    or an unknown name."""
    collection = collection_get(name)
    if not collection.geometry:
        raise params.not_found(_("Pas de tuiles pour une collection sans géométrie."))
    return collection


def tile_coordinates_check(z: int, x: int, y: int) -> None:
    """Raises a 400 unless 0 <= z <= MAX_ZOOM, a 404 unless x and y lie within the 2^z
    tiles of that zoom (such a tile does not exist, like an unknown feature)."""
    if not 0 <= z <= MAX_ZOOM:
        raise params.bad_request(_("z doit être compris entre 0 et %(max)s.") % {"max": MAX_ZOOM})
    if not (0 <= x < 2**z and 0 <= y < 2**z):
        raise params.not_found(
            _("Pas de tuile ici : x et y vont de 0 à %(last)s au niveau %(z)s.")
            % {"last": 2**z - 1, "z": z}
        )


def tile_coordinates_parse(z: str, x: str, y: str) -> tuple[int, int, int]:
    """z, x and y of a tile URL as numbers: a 404 unless each is a whole number (no tile
    has such an address), a 400 beyond 9 characters (far beyond any zoom; int() stays
    cheap)."""
    numbers = []
    for value in (z, x, y):
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()):
            raise params.not_found(
                _("Pas de tuile à cette adresse : z, x et y sont des nombres entiers.")
            )
        if len(value) > 9:
            raise params.bad_request(_("Coordonnées de tuile hors limites."))
        numbers.append(int(value))
    return numbers[0], numbers[1], numbers[2]


def tile_get(*, collection: Collection, selection: Selection, z: int, x: int, y: int) -> bytes:
    """The tile z/x/y of `collection` for `selection` (b"" when nothing is there): its
    features, or below `collection.cluster_below_zoom` clusters with their `count`. Raises
    OgcError for a filter the collection refuses. Reads only, one statement."""
    where, bound = collection.clause(selection)
    if z < collection.cluster_below_zoom and _reads_kept_cells(collection, selection, z):
        return _tile_read(sql.tile_kept_clusters(), _kept_params(collection, z, x, y))
    variant = collection.layer.variants[collection.variant(staff=selection.staff)]
    layer = collection.layer
    source = {"table": layer.table, "alias": layer.alias, "where": where}
    if z < collection.cluster_below_zoom:
        statement = sql.tile_clusters(geometry=variant.geometry, bbox=collection.geometry, **source)
    else:
        properties = sql.properties_jsonb([(prop.name, prop.sql) for prop in variant.properties])
        statement = sql.tile(
            geometry=variant.geometry, properties=properties, bbox=collection.geometry, **source
        )
    tolerance = _DEGREES_PER_PIXEL_Z0 / 2**z
    bound = {**bound, "tolerance": tolerance, "layer": collection.id, "z": z, "x": x, "y": y}
    return _tile_read(statement, bound)


def _tile_read(statement: str, bound: dict) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(statement, bound)
        return bytes(cursor.fetchone()[0])


def _reads_kept_cells(collection: Collection, selection: Selection, z: int) -> bool:
    """Whether the cluster tile z of `selection` sums the kept cells: a collection that has
    them, no filter asked, a level PostgreSQL keeps."""
    filtered = any(
        value for name in collection.parameters for value in selection.query.getlist(name)
    )
    kept = map_cells.tile_level(z) < map_cells.KEPT_LEVELS
    return collection.kept_cells and not filtered and kept


def _kept_params(collection: Collection, z: int, x: int, y: int) -> dict:
    """The parameters of `sql.tile_kept_clusters`: the tile, its level and cell size, and
    its extent in degrees widened by the tile's drawn margin."""
    level = map_cells.tile_level(z)
    margin = sql.TILE_BUFFER / sql.TILE_EXTENT
    west, north = _degrees(z, x - margin, y - margin)
    east, south = _degrees(z, x + 1 + margin, y + 1 + margin)
    extent = {"minlon": west, "minlat": south, "maxlon": east, "maxlat": north}
    return {
        "layer": collection.id,
        **{"z": z, "x": x, "y": y, "level": level, "cell": map_cells.cell_size(level)},
        **{f"cell_{name}": value for name, value in extent.items()},
    }


def _degrees(z: int, x: float, y: float) -> tuple[float, float]:
    """Longitude and latitude of the tile corner (x, y) at zoom z (Web Mercator)."""
    lon = x / 2**z * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**z))))
    return lon, lat


def _selection(request: HttpRequest, collection: Collection) -> Selection:
    accepted = collection.parameters | {"datetime"}
    params.unknown_parameters(request.GET, accepted=accepted)
    return Selection(
        query=request.GET,
        period=params.datetime_parse(request.GET.get("datetime")),
        staff=reader_is_staff(request),
    )


@csrf_exempt  # read-only: any other method must get a 405, not CSRF's 403
@require_safe
@ogc_errors
def tile(request: HttpRequest, layer: str, z: str, x: str, y: str) -> HttpResponse:
    """`/tiles/<layer>/<z>/<x>/<y>.pbf`: one vector tile (an empty body when empty)."""
    zoom, column, row = tile_coordinates_parse(z, x, y)
    collection = tile_layer_get(layer)
    tile_coordinates_check(zoom, column, row)
    selection = _selection(request, collection)
    if missing := ogc_layer_missing(collection=collection):
        raise params.OgcError(409, "LayerNotLoaded", missing)
    content = tile_get(collection=collection, selection=selection, z=zoom, x=column, y=row)
    return HttpResponse(content, content_type=MVT)


@csrf_exempt
@require_safe
@ogc_errors
def tilejson(request: HttpRequest, layer: str) -> HttpResponse:
    """`/tiles/<layer>.json`: the TileJSON of a layer, its tile URL keeping the filters."""
    collection = tile_layer_get(layer)
    selection = _selection(request, collection)
    collection.clause(selection)  # a filter its tiles would refuse is refused here
    template = reverse("tiles:tile", args=[collection.id, 0, 0, 0]).replace(
        "/0/0/0.", "/{z}/{x}/{y}."
    )
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    variant = collection.layer.variants[collection.variant(staff=selection.staff)]
    clustered = collection.cluster_below_zoom > 0
    bounds = ogc_extent_get(collection=collection, selection=Selection(query=QueryDict()))
    body = {
        "tilejson": "3.0.0",
        "name": str(collection.title),
        "description": str(collection.description),
        "tiles": [unquote(request.build_absolute_uri(template)) + query],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds or [-180, -85.05112878, 180, 85.05112878],
        "vector_layers": [
            {
                "id": collection.id,
                "fields": {
                    **{prop.name: prop.name for prop in variant.properties},
                    **({"cluster": "cluster", "count": "count"} if clustered else {}),
                },
                "minzoom": 0,
                "maxzoom": MAX_ZOOM,
            }
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
