"""`/ogc/` and `/tiles/` in the project's OpenAPI (`/api/schema/`, the `service-desc` of the
OGC landing page): a drf-spectacular postprocessing hook adding their operations, typed,
beside the DRF API's. Those views are plain Django views, so the generator cannot see them.
"""

from typing import Any

from cartography.layers import AREAS, ORGANISATIONS, PREMISES
from cartography.ogc.collections import COLLECTIONS, Collection
from cartography.ogc.params import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from cartography.tiles import MAX_ZOOM
from directory import vocabulary
from directory.api_schema import SEARCH_SCHEMA

_OBJECT = {"type": "object"}
_LINKS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "href": {"type": "string"},
            "rel": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": "string"},
        },
        "required": ["href", "rel"],
    },
}
_EXCEPTION = {
    "type": "object",
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    "required": ["code", "description"],
}
_FEATURE = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "integer"},
        "geometry": {"type": "object", "nullable": True},
        "properties": _OBJECT,
        "links": _LINKS,
    },
}
_FEATURES = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": _FEATURE},
        "links": _LINKS,
        "numberReturned": {"type": "integer"},
        "numberMatched": {"type": "integer"},
    },
}
_COLLECTION = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "attribution": {"type": "string"},
        "extent": _OBJECT,
        "crs": {"type": "array", "items": {"type": "string"}},
        "links": _LINKS,
    },
}
_TILEJSON = {
    "type": "object",
    "properties": {
        "tilejson": {"type": "string"},
        "tiles": {"type": "array", "items": {"type": "string"}},
        "minzoom": {"type": "integer"},
        "maxzoom": {"type": "integer"},
        "vector_layers": {"type": "array", "items": _OBJECT},
    },
}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        **{"schema": schema},
    }


def _path(name: str, description: str, schema: dict | None = None) -> dict:
    schema = schema or {"type": "string"}
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


#: directory.filters.SLUG, or empty (no filter).
_SLUG_LIST = {"type": "string", "pattern": r"^([A-Za-z0-9][A-Za-z0-9_-]{0,63})?$"}
_FILTERS = [
    _query("q", "Recherche (200 caractères, 12 mots au plus).", SEARCH_SCHEMA),
    _query(
        "kind",
        "Type d'acteur ; une valeur inconnue : 400.",
        {"type": "string", "enum": list(vocabulary.ORGANISATION_KINDS)},
    ),
    _query(
        "sector",
        "Filière ; une valeur inconnue : 400.",
        {"type": "string", "enum": list(vocabulary.SECTORS)},
    ),
    _query(
        "stage",
        "Étape ; une valeur inconnue : 400.",
        {"type": "string", "enum": list(vocabulary.STAGES)},
    ),
    _query(
        "legal_family",
        "Famille juridique ; une valeur inconnue : 400.",
        {"type": "string", "enum": list(vocabulary.LEGAL_FAMILIES)},
    ),
    _query("quartier", "Quartier, par son identifiant (vide : tous).", _SLUG_LIST),
    _query("qpv", "En quartier prioritaire.", {"type": "boolean"}),
    _query("reseau", "Membres d'un réseau, par son identifiant (vide : tous).", _SLUG_LIST),
]
#: An id of the `after` and `before` cursors: the API reads at most 18 digits (a bigint).
_ID = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
#: OGC API Features' own declaration of bbox (an array written `1,2,3,4`), bounded as the
#: API checks it; the order (minimum below maximum) and latitudes within ±90 cannot be
#: said in OpenAPI 3.0: a 400 says them.
_BBOX = {
    **_query("bbox", "minlon,minlat,maxlon,maxlat en WGS 84 (minimum < maximum).", {}),
    "schema": {
        "type": "array",
        "minItems": 4,
        "maxItems": 4,
        "items": {"type": "number", "minimum": -180, "maximum": 180},
    },
    "style": "form",
    "explode": False,
}
#: A day from year 1 (Python's first), of each month's length (February up to the 29th:
#: only in leap years, a 400 else).
_DAY = (
    r"(000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d{3})-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
    r"|02-(0[1-9]|1\d|2\d))"
)
_TIME = r"(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?"
_INSTANT = _DAY + _TIME
#: An RFC 3339 day or instant, or an interval `start/end` with `..` (or nothing) for an
#: open side; empty: no filter; February 29th of a common year or a reversed interval:
#: 400.
_DATETIME = _query(
    "datetime",
    "Jour ou intervalle RFC 3339 (début/fin, .. ouvert) ; le début précède la fin.",
    {"type": "string", "pattern": rf"^({_INSTANT}|({_INSTANT}|\.\.)?/({_INSTANT}|\.\.)?)?$"},
)
_PAGING = [
    _query(
        "limit",
        f"Entités par page ({DEFAULT_LIMIT} par défaut ; au-delà de {MAX_LIMIT}, {MAX_LIMIT}).",
        {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
    ),
    _query(
        "offset",
        f"Décalage, jusqu'à {MAX_OFFSET} sans curseur (suivre plutôt le lien next).",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    ),
    _query("after", "Curseur du lien next : les entités d'identifiant supérieur.", _ID),
    _query(
        "before",
        "Curseur du lien prev : les entités d'identifiant inférieur (avec after : entre les deux).",
        _ID,
    ),
]
_F = _query(
    "f",
    "Encodage : json ou html (vide : selon l'en-tête Accept).",
    {"type": "string", "enum": ["json", "html", ""]},
)
#: The page a browser gets (`f=html`, or `Accept: text/html`).
_HTML = {"text/html": {"schema": {"type": "string"}}}


def _errors(*codes: str) -> dict:
    descriptions = {
        "400": "Paramètre invalide.",
        "404": "Collection, entité ou tuile inconnue.",
        "409": "Couche non chargée : une liste vide ne voudrait rien dire.",
    }
    return {
        code: {
            "description": f"{descriptions[code]} Exception OGC (message en français).",
            "content": {"application/json": {"schema": _EXCEPTION}},
        }
        for code in codes
    }


def _get(
    summary: str, media: str, schema: dict, parameters: list, *errors: str, html: bool = True
) -> dict:
    """A GET answering `media` (and an HTML page when `html`), or the exceptions `errors`."""
    content = {media: {"schema": schema}, **(_HTML if html else {})}
    return {
        "get": {
            "operationId": summary,
            "summary": summary,
            "tags": ["ogc"],
            "parameters": parameters,
            "responses": {"200": {"description": "OK", "content": content}, **_errors(*errors)},
        }
    }


def _collection_id(ids: list[str]) -> dict:
    return _path("collectionId", ", ".join(ids), {"type": "string", "enum": ids})


def _groups(collections: list[Collection]) -> dict[str, list[Collection]]:
    """The collections by the path segment that names them: their own id, except the
    collections of one layer (areas by kind), which share `{collectionId}` (their
    parameters are the same)."""
    by_layer: dict[str, list[Collection]] = {}
    for collection in collections:
        by_layer.setdefault(collection.layer.name, []).append(collection)
    groups: dict[str, list[Collection]] = {}
    for members in by_layer.values():
        for collection in members:
            key = "{collectionId}" if len(members) > 1 else collection.id
            groups.setdefault(key, []).append(collection)
    return groups


def _own_parameters(collection: Collection, *, bbox: bool) -> list[dict]:
    """What `collection` accepts beside paging: bbox (with a geometry, when `bbox`),
    datetime (when it has a meaning) and its filters."""
    own = [_BBOX] if bbox and collection.geometry else []
    own += [_DATETIME] if collection.temporal else []
    return own + [item for item in _FILTERS if item["name"] in collection.parameters]


def _items_paths(key: str, members: list[Collection]) -> dict[str, Any]:
    """The items and tiles operations of the collections named by `key`."""
    first = members[0]
    ids = [collection.id for collection in members]
    name = ids[0] if len(ids) == 1 else first.layer.name
    path_id = [_collection_id(ids)] if key == "{collectionId}" else []
    answers_409 = first.layer in (ORGANISATIONS, PREMISES, AREAS)  # a layer not loaded
    errors = ("400", "404", "409") if answers_409 else ("400", "404")
    # Tiles of a layer never loaded (premises, QPV, quartiers) answer 409, as their items.
    tile_errors = errors
    paths = {
        f"/ogc/collections/{key}/items": _get(
            f"ogc_items_{name}",
            "application/geo+json",
            _FEATURES,
            [*path_id, *_PAGING, *_own_parameters(first, bbox=True), _F],
            *errors,
        )
    }
    if first.geometry:
        xyz = [
            _path("z", "Niveau de zoom.", {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}),
            *(
                _path(axis, f"{axis} : de 0 à 2^z - 1 (au-delà, 404).", _TILE_INDEX)
                for axis in ("x", "y")
            ),
        ]
        own = _own_parameters(first, bbox=False)
        paths[f"/tiles/{key}.json"] = _get(
            f"tiles_tilejson_{name}",
            "application/json",
            _TILEJSON,
            [*path_id, *own],
            *tile_errors,
            html=False,
        )
        paths[f"/tiles/{key}/{{z}}/{{x}}/{{y}}.pbf"] = _get(
            f"tiles_tile_{name}",
            "application/vnd.mapbox-vector-tile",
            {"type": "string", "format": "binary"},
            [*path_id, *xyz, *own],
            *tile_errors,
            html=False,
        )
    return paths


#: A tile column or row: below 2^MAX_ZOOM (below 2^z at zoom z).
_TILE_INDEX = {"type": "integer", "minimum": 0, "maximum": 2**MAX_ZOOM - 1}


def _ogc_paths() -> dict[str, Any]:
    landing = {"type": "object", "properties": {"title": {"type": "string"}, "links": _LINKS}}
    conformance = {
        "type": "object",
        "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
    }
    collections = {
        "type": "object",
        "properties": {"collections": {"type": "array", "items": _COLLECTION}, "links": _LINKS},
    }
    every = _collection_id(list(COLLECTIONS))
    paths = {
        "/ogc/": _get("ogc_landing", "application/json", landing, [_F], "400"),
        "/ogc/conformance": _get("ogc_conformance", "application/json", conformance, [_F], "400"),
        "/ogc/collections": _get("ogc_collections", "application/json", collections, [_F], "400"),
        "/ogc/collections/{collectionId}": _get(
            "ogc_collection", "application/json", _COLLECTION, [every, _F], "400", "404"
        ),
        "/ogc/collections/{collectionId}/items/{featureId}": _get(
            "ogc_item",
            "application/geo+json",
            _FEATURE,
            [every, _path("featureId", "Identifiant de l'entité.", _ID), _F],
            "400",
            "404",
        ),
    }
    for key, members in _groups(list(COLLECTIONS.values())).items():
        paths.update(_items_paths(key, members))
    return paths


def ogc_paths_add(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular postprocessing hook: `result` (the OpenAPI document) with the
    operations of `/ogc/` and `/tiles/` added (tag `ogc`)."""
    result.setdefault("paths", {}).update(_ogc_paths())
    tags = result.setdefault("tags", [])
    if not any(tag.get("name") == "ogc" for tag in tags):
        tags.append(
            {"name": "ogc", "description": "OGC API Features et tuiles vectorielles (SIG)."}
        )
    return result
