"""The GeoJSON answers of the map API, for its OpenAPI schema only (`/api/docs/`): each
layer's FeatureCollection, with the property names its declaration serves
(`cartography.layers`), so that the schema and the answer come from one definition."""

from rest_framework import serializers

from cartography.layers import layer_get

#: A GeoJSON geometry (RFC 7946) in EPSG:4326, longitude first.
GEOMETRY = {
    "type": "object",
    "nullable": True,
    "required": ["type", "coordinates"],
    "properties": {
        "type": {
            "type": "string",
            "enum": ["Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"],
        },
        "coordinates": {"type": "array", "items": {}},
    },
}

#: What the organisations' collection adds at its top level (cartography.layers).
ORGANISATION_MEMBERS = {
    "mode": {
        "type": "string",
        "enum": ["points", "clusters"],
        "description": "points : une entité par organisation ; clusters : une par maille.",
    },
    "total": {"type": "integer", "description": "Organisations trouvées."},
    "cap": {"type": "integer", "description": "Au-delà, les points sont regroupés."},
}


#: What every collection says of its origin at its top level (cartography.origin).
ORIGIN_MEMBERS = {
    "description": {"type": "string", "description": "Sources, licence et date, en une phrase."},
    "sources": {
        "type": "array",
        "description": "Cartess puis chaque source des données, avec sa licence.",
        "items": {
            "type": "object",
            "properties": {
                key: {"type": "string"} for key in ("name", "url", "licence", "licence_url")
            },
        },
    },
    "licence": {"type": "string", "description": "Licence de l'export."},
    "licence_url": {"type": "string"},
    "date_extraction": {
        "type": "string",
        "description": "Date des données (dernière modification ou dernier import), ISO 8601.",
    },
}


def feature_collection_schema(layer: str, *, variant: str = "map", members=None) -> dict:
    """The OpenAPI schema of `layer`'s `variant` as the API serves it: a FeatureCollection
    named after the layer, each feature with its id, geometry and declared properties."""
    declared = layer_get(layer).variants[variant].properties
    feature = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": GEOMETRY,
            "properties": {
                "type": "object",
                "properties": {prop.name: {} for prop in declared},
            },
        },
    }
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "name": {"type": "string", "enum": [layer]},
            **ORIGIN_MEMBERS,
            **(members or {}),
            "features": {"type": "array", "items": feature},
        },
    }


class MissingLayerSerializer(serializers.Serializer):
    """409: a filter on a layer of areas that is not loaded (directory.areas)."""

    erreur = serializers.CharField()
    couche_non_chargee = serializers.BooleanField()
