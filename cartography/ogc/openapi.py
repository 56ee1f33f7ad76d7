"""`/ogc/` and `/tiles/` in the project's OpenAPI (`/api/schema/`, the `service-desc` of the
OGC landing page): a drf-spectacular postprocessing hook adding their operations, typed,
beside the DRF API's. Those views are plain Django views, so the generator cannot see them.
"""

from typing import Any

from cartography.ogc.params import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from directory import vocabulary

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


_COLLECTION_ID = _path(
    "collectionId",
    "organisations, premises, areas-<type> (areas-commune, areas-quartier…), funding-schemes",
)
_SLUG_LIST = {"type": "string", "pattern": r"^[a-z0-9-]+$"}
_FILTERS = [
    _query("q", "Recherche (organisations).", {"type": "string"}),
    _query(
        "kind",
        "Type d'acteur (organisations).",
        {"type": "string", "enum": list(vocabulary.ORGANISATION_KINDS)},
    ),
    _query(
        "sector", "Filière (organisations).", {"type": "string", "enum": list(vocabulary.SECTORS)}
    ),
    _query("stage", "Étape (organisations).", {"type": "string", "enum": list(vocabulary.STAGES)}),
    _query(
        "legal_family",
        "Famille juridique (organisations).",
        {"type": "string", "enum": list(vocabulary.LEGAL_FAMILIES)},
    ),
    _query("quartier", "Quartier, par son identifiant (organisations).", _SLUG_LIST),
    _query("qpv", "En quartier prioritaire (organisations).", {"type": "boolean"}),
    _query("reseau", "Membres d'un réseau, par son identifiant (organisations).", _SLUG_LIST),
]
_PAGING = [
    _query("bbox", "minlon,minlat,maxlon,maxlat en WGS 84.", {"type": "string"}),
    _query(
        "limit",
        f"Entités par page ({DEFAULT_LIMIT} par défaut, au plus {MAX_LIMIT}).",
        {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
    ),
    _query(
        "offset",
        f"Décalage, jusqu'à {MAX_OFFSET} (suivre plutôt le lien next).",
        {"type": "integer", "minimum": 0},
    ),
    _query(
        "after", "Curseur du lien next : les entités d'identifiant supérieur.", {"type": "integer"}
    ),
    _query(
        "before", "Curseur du lien prev : les entités d'identifiant inférieur.", {"type": "integer"}
    ),
    _query("datetime", "Jour ou intervalle RFC 3339 (financements, locaux).", {"type": "string"}),
]
_F = _query("f", "Encodage : json ou html.", {"type": "string", "enum": ["json", "html"]})


def _errors(*codes: str) -> dict:
    return {
        code: {
            "description": "Erreur, au format des exceptions OGC (message en français).",
            "content": {"application/json": {"schema": _EXCEPTION}},
        }
        for code in codes
    }


def _get(summary: str, media: str, schema: dict, parameters: list, *errors: str) -> dict:
    return {
        "get": {
            "operationId": summary,
            "summary": summary,
            "tags": ["ogc"],
            "parameters": parameters,
            "responses": {
                "200": {"description": "OK", "content": {media: {"schema": schema}}},
                **_errors(*errors),
            },
        }
    }


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
    geojson = "application/geo+json"
    tile = {"type": "string", "format": "binary"}
    xyz = [_path(name, f"{name} de la tuile.", {"type": "integer"}) for name in ("z", "x", "y")]
    return {
        "/ogc/": _get("ogc_landing", "application/json", landing, [_F], "400"),
        "/ogc/conformance": _get("ogc_conformance", "application/json", conformance, [_F], "400"),
        "/ogc/collections": _get("ogc_collections", "application/json", collections, [_F], "400"),
        "/ogc/collections/{collectionId}": _get(
            "ogc_collection", "application/json", _COLLECTION, [_COLLECTION_ID, _F], "400", "404"
        ),
        "/ogc/collections/{collectionId}/items": _get(
            "ogc_items", geojson, _FEATURES, [_COLLECTION_ID, *_PAGING, *_FILTERS, _F], "400", "404"
        ),
        "/ogc/collections/{collectionId}/items/{featureId}": _get(
            "ogc_item",
            geojson,
            _FEATURE,
            [
                _COLLECTION_ID,
                _path("featureId", "Identifiant de l'entité.", {"type": "integer"}),
                _F,
            ],
            "400",
            "404",
        ),
        "/tiles/{collectionId}.json": _get(
            "tiles_tilejson",
            "application/json",
            _TILEJSON,
            [_COLLECTION_ID, *_FILTERS],
            "400",
            "404",
        ),
        "/tiles/{collectionId}/{z}/{x}/{y}.pbf": _get(
            "tiles_tile",
            "application/vnd.mapbox-vector-tile",
            tile,
            [_COLLECTION_ID, *xyz, *_FILTERS],
            "400",
            "404",
        ),
    }


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
