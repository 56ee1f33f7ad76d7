"""Every GeoJSON Cartess serves for download or through its API says where it comes from:
its sources with their licences, the export's licence and the data's date, as members at
the top of the FeatureCollection (directory.exports.origin), beside the layer's `name`.

Kept apart from the layer declarations (cartography.layers): a layer's statement builds the
features; this adds one query for the collection's origin, whatever the number of features.
"""

from cartography.layers import STAFF, Layer, collection_with_members
from directory.exports.origin import data_origin_get, internal_licence, origin_members


def layer_collection_published(layer: Layer, variant: str = "map", **selection) -> str:
    """`layer.feature_collection(variant, **selection)` with its origin (`sources`,
    `licence`, `licence_url`, `date_extraction`, `description`) at the top level, right after
    its type; a staff variant's licence says it is for internal use. Two queries. Raises
    KeyError for an unknown variant."""
    text = layer.feature_collection(variant, **selection)
    staff = layer.variants[variant].audience == STAFF
    members = origin_members(
        data_origin_get(model=layer.model), licence=internal_licence() if staff else ""
    )
    return collection_with_members(text, **members)
