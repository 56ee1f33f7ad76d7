"""`qpv`: the quartiers prioritaires de la politique de la ville (2024 geography, ANCT).

The ANCT publishes the outlines as GeoJSON in WGS84 (data.gouv.fr dataset
"quartiers-prioritaires-de-la-politique-de-la-ville-qpv", served zipped): one Feature per QPV
with properties `code_qp` (e.g. QN05906M), `lib_qp`, `insee_dep`, `insee_com`, `lib_com`,
`siren_epci`. The QPV whose `insee_com` is in the territory become reference areas of kind
qpv, children of their commune when the `communes` source has loaded it. The national file
holds about 1,600 outlines (tens of MB): it is parsed whole, which a file of that size
allows; geometries are checked to lie in France (GeoJSON is WGS84 by definition), and an
invalid (self-intersecting) outline is made valid (importers.sources.quartiers).

A file whose features all lack `code_qp`, `lib_qp` or `insee_com` (a renamed field) fails
the run; an entry of `features` that is not a Feature is a rejected row.
"""

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from cartography.models import AreaKind
from cartography.services import AreaData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import BadPayload, ImportFailed, RowRejected, describe
from importers.engine.mapping import clean_insee_code, required_text, text
from importers.io.json_items import JsonRecords, json_records, keys_check
from importers.sources.quartiers import multipolygon_from_geojson

PROPERTIES = ("code_qp", "lib_qp", "insee_dep", "insee_com", "lib_com", "siren_epci")
#: Properties without which a file is not the QPV file (see require_keys).
REQUIRED = ("code_qp", "lib_qp", "insee_com")
#: Marks an entry of `features` that is not a Feature (its type is kept).
UNREADABLE_KEY = "entree_illisible"
#: A GeoJSON member of the published zip.
GEOJSON_SUFFIXES = (".geojson", ".json")


class QpvSource(ImportSource):
    slug = "qpv"
    mapping_version = 2
    info = SourceInfo(
        name="Quartiers prioritaires de la politique de la ville (QPV 2024)",
        publisher="Agence nationale de la cohésion des territoires (ANCT)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://www.data.gouv.fr/fr/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/",
        description="Contours des QPV 2024 (décret du 28 décembre 2023), en WGS84.",
    )
    default_url = "https://www.data.gouv.fr/fr/datasets/r/942d4ee8-8142-4556-8ea1-335537ce1119"

    def read(self, path: Path) -> Iterator[RawRow]:
        """The features of a GeoJSON file, or of the GeoJSON inside a zip. Raises
        ImportFailed when the file is not a GeoJSON FeatureCollection of QPV."""
        path = Path(path)
        collection = _load(path)
        if collection.head.get("type") != "FeatureCollection" or collection.items is None:
            raise ImportFailed(
                _("%(name)s n'est pas une FeatureCollection GeoJSON.") % {"name": path.name}
            )
        for number, feature in enumerate(collection.items(), start=1):
            yield RawRow(number=number, data=_flatten(feature))

    def external_id(self, row: RawRow) -> str:
        """The QPV code; "" for an entry that is not a Feature (the mapper says why it is
        rejected)."""
        if UNREADABLE_KEY in row.data:
            return ""
        return text(row.data, "code_qp")

    def locate(self, row: RawRow) -> Whereabouts | None:
        if UNREADABLE_KEY in row.data:
            return None  # rejected by the mapper, wherever it is
        return Whereabouts(insee_code=clean_insee_code(text(row.data, "insee_com")))

    def map(self, row: RawRow) -> Mapped:
        return map_qpv(row.data)


def map_qpv(raw: dict) -> Mapped:
    """A QPV feature (flattened) -> AreaData of kind qpv under its commune. Pure.

    Raises RowRejected when the entry is not a Feature, the code or name is missing, or
    the outline is unreadable, not a polygon (once made valid), or outside France.
    """
    if UNREADABLE_KEY in raw:
        raise RowRejected(
            _("Entrée illisible : ce n'est pas une Feature GeoJSON (%(type)s).")
            % {"type": raw[UNREADABLE_KEY]}
        )
    code = required_text(raw, "code_qp", _("Code du QPV")).upper()
    insee = clean_insee_code(text(raw, "insee_com"))
    return Mapped(
        AreaData(
            kind=AreaKind.QPV,
            code=code,
            name=required_text(raw, "lib_qp", _("Nom du QPV")),
            geometry=multipolygon_from_geojson(text(raw, "geometry")),
            parent_kind=AreaKind.COMMUNE if insee else "",
            parent_code=insee,
        )
    )


def _load(path: Path) -> JsonRecords:
    """The features of the GeoJSON of `path` (or of the one GeoJSON a zip holds), read one
    at a time within the limits of importers.io.bounded, checked for REQUIRED once before
    the first is yielded. Raises ImportFailed."""
    try:
        return json_records(
            path,
            key="features",
            member=lambda archive: _geojson_member(archive, path),
            head_keys=("type",),
            check=lambda records, features: _check(records.head, features, path),
        )
    except BadPayload as error:
        raise ImportFailed(
            _("Fichier GeoJSON illisible %(name)s : %(error)s")
            % {"name": path.name, "error": describe(error.__cause__ or error)}
        ) from error


def _check(head: dict, features: Iterator, path: Path) -> None:
    """Raise ImportFailed when a REQUIRED property is absent from every Feature of a
    FeatureCollection (`read` says when the file is not one)."""
    if head.get("type") == "FeatureCollection":
        properties = (
            feature.get("properties") or {} for feature in features if _is_feature(feature)
        )
        keys_check(properties, REQUIRED, path.name)
    else:
        for _feature in features:
            pass  # read through all the same: a broken file is said as such


def _geojson_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = [name for name in archive.namelist() if name.lower().endswith(GEOJSON_SUFFIXES)]
    if len(names) != 1:
        raise ImportFailed(
            _("Le zip %(name)s doit contenir un seul fichier GeoJSON.") % {"name": path.name}
        )
    return names[0]


def _is_feature(feature: object) -> bool:
    return (
        isinstance(feature, dict)
        and feature.get("type") == "Feature"
        and isinstance(feature.get("properties") or {}, dict)
    )


def _flatten(feature: object) -> dict:
    """The properties Cartess reads, as strings, and the geometry as GeoJSON text; an
    entry that is not a Feature is marked unreadable, with its type."""
    if not _is_feature(feature):
        kind = feature.get("type") if isinstance(feature, dict) else type(feature).__name__
        return {UNREADABLE_KEY: str(kind)[:100]}
    properties = feature.get("properties") or {}
    data = {key: _string(properties.get(key)) for key in PROPERTIES}
    data["geometry"] = json.dumps(feature.get("geometry"))
    return data


def _string(value: object) -> str:
    return "" if value is None else str(value).strip()
