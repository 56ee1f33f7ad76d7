"""What a collection of `/ogc/` says of its origin (issue 18): its sources, their licences
and its data's date in its `description` (GDAL and QGIS show it as the layer's), an
`attribution` to display beside the data (OGC API Common, Part 2), and its `license` link
(OGC API Features, Part 1, 7.14: recommended). Each feature says its own
(cartography.ogc.sql `ogc_credit`)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cartography.ogc.collections import Collection
from directory.exports.origin import (
    DataOrigin,
    data_origin_get,
    internal_licence,
    origin_description,
)
from directory.exports.package import cartess_source


@dataclass(frozen=True)
class CollectionCredit:
    """`description` (the collection's, then its origin), `attribution`, and the licence
    with its address (`licence_url` "" for a staff variant: internal use, no open
    licence)."""

    description: str
    attribution: str
    licence: str
    licence_url: str


def collection_credit_get(
    *, collection: Collection, staff: bool, origins: dict | None = None
) -> CollectionCredit:
    """The credit of `collection` as `staff` (or the public) reads it. One query per model,
    none when `origins` (model -> DataOrigin, filled here) already holds it. Reads only."""
    origins = {} if origins is None else origins
    model = collection.layer.model
    if model not in origins:
        origins[model] = data_origin_get(model=model)
    origin: DataOrigin = origins[model]
    internal = collection.variant(staff=staff) != "map"
    licence = internal_licence() if internal else settings.CARTESS_EXPORT_LICENCE
    names = ", ".join(source.name for source in [cartess_source(), *origin.sources])
    return CollectionCredit(
        description=f"{collection.description} {origin_description(origin, licence=licence)}",
        attribution=_("Données : %(sources)s. Licence : %(licence)s.")
        % {"sources": names, "licence": licence},
        licence=licence,
        licence_url="" if internal else settings.CARTESS_EXPORT_LICENCE_URL,
    )
