"""`tiers-lieux`: the third places of the CGET (now ANCT) "Mission Coworking" inventory, 2019.

The bundled file holds the territory's rows of the national file; `--file` reads the
national file itself (1,512 places), filtered on the territory, as the CSV or as the
GeoJSON the inventory also publishes (`.geojson` or `.json`: a FeatureCollection of Points
in WGS84 whose properties are the CSV's columns, the point standing for LAT and LONG).
Both give the same raw rows. Columns are selected by name; CONTACT and MAIL (people's
names and addresses) are never read.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from directory.models import GeocodingQuality
from directory.records import OrganisationData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.mapping import (
    clean_insee_code,
    clean_postcode,
    clean_website,
    point_from_lon_lat,
    required_text,
    text,
)
from importers.io.json_items import JsonRecords, json_records, keys_check, objects_only
from importers.io.readers import csv_rows

DATA_FILE = (
    Path(__file__).resolve().parent.parent
    / "data/tiers-lieux-anct-2019/CGET_TiersLieux_2019_lille.csv"
)
COLUMNS = (
    "ID",
    "NOM_TL",
    "ADRESSE",
    "CP",
    "INSEECOM",
    "NOMCOM",
    "WEB",
    "TYPO",
    "LAT",
    "LONG",
    "GEOCOD",
    "PRECISION",
)
#: The GeoJSON's properties: the CSV's columns but the coordinates, which are the point.
PROPERTIES = tuple(column for column in COLUMNS if column not in {"LAT", "LONG"})
GEOJSON_SUFFIXES = {".geojson", ".json"}
#: Names a GeoJSON `crs` member may give to WGS84 longitude/latitude (RFC 7946 has none).
WGS84_NAMES = ("CRS84", "EPSG::4326", "EPSG:4326")
#: The inventory geocoded addresses itself; like a BAN answer (SOURCES.md), a point whose
#: score is below 0.5 is not trusted to stand on the map.
MIN_PRECISION = 0.5


class TiersLieuxSource(ImportSource):
    slug = "tiers-lieux"
    mapping_version = 1
    info = SourceInfo(
        name="Tiers-lieux (Mission Coworking, CGET 2019)",
        publisher="CGET, aujourd'hui Agence nationale de la cohésion des territoires (ANCT)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://github.com/anct-carto/mission_coworking",
        description="Inventaire national des tiers-lieux de 2019 : coworkings et fablabs.",
        dated="inventaire CGET (ANCT) de 2019",
    )

    def default_file(self) -> Path:
        return DATA_FILE

    def read(self, path: Path) -> Iterator[RawRow]:
        if path.suffix.lower() in GEOJSON_SUFFIXES:
            return geojson_rows(path)
        return csv_rows(path, columns=COLUMNS)

    def external_id(self, row: RawRow) -> str:
        return text(row.data, "ID")

    def locate(self, row: RawRow) -> Whereabouts:
        try:
            point = point_from_lon_lat(text(row.data, "LONG"), text(row.data, "LAT"))
        except RowRejected:
            point = None
        return Whereabouts(point=point, insee_code=text(row.data, "INSEECOM"))

    def map(self, row: RawRow) -> Mapped:
        return map_tiers_lieu(row.data)


def geojson_rows(path: Path) -> Iterator[RawRow]:
    """The features of the inventory's GeoJSON as rows of its CSV (strings, LAT and LONG).

    A feature whose geometry is not a Point has no coordinates: `map` keeps it off the map.
    Raises ImportFailed when the file is not a FeatureCollection, names a spatial
    reference other than WGS84, or when a property is absent from every feature.
    """
    collection = json_records(
        path,
        key="features",
        head_keys=("crs",),
        check=lambda records, features: _check(records, features, path),
    )
    if not collection.is_object or collection.items is None:
        raise ImportFailed(
            _("%(path)s n'est pas une FeatureCollection GeoJSON.") % {"path": path.name}
        )
    for number, feature in enumerate(objects_only(collection.items()), start=1):
        values = _properties(feature)
        yield RawRow(number=number, data=_feature_data(feature, values))


def _check(collection: JsonRecords, features: Iterator, path: Path) -> None:
    """Raise ImportFailed when a FeatureCollection names a spatial reference other than
    WGS84, or when a property is absent from every feature (read through all the same)."""
    if not collection.is_object:
        for _feature in features:
            pass  # a broken file is said as such; `geojson_rows` says it is no FeatureCollection
        return
    _check_crs(collection.head.get("crs"), path)
    keys_check((_properties(feature) for feature in objects_only(features)), PROPERTIES, path.name)


def _check_crs(crs: Any, path: Path) -> None:
    if crs is None:
        return
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if not name.upper().endswith(WGS84_NAMES):
        raise ImportFailed(
            _("%(path)s est dans un autre système de coordonnées que WGS84 (%(crs)s).")
            % {"path": path.name, "crs": name or crs}
        )


def _properties(feature: dict) -> dict:
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def _feature_data(feature: dict, properties: dict) -> dict[str, str]:
    data = {key: _cell(properties.get(key)) for key in PROPERTIES}
    # The GeoJSON wrote INSEE codes as numbers somewhere on their way: 01053 became 1053.
    if len(data["INSEECOM"]) == 4 and data["INSEECOM"].isdigit():
        data["INSEECOM"] = data["INSEECOM"].zfill(5)
    lon, lat = _lon_lat(feature.get("geometry"))
    return data | {"LONG": _cell(lon), "LAT": _cell(lat)}


def _lon_lat(geometry: Any) -> tuple[Any, Any]:
    """The coordinates of a Point geometry; (None, None) for anything else."""
    if not (isinstance(geometry, dict) and geometry.get("type") == "Point"):
        return None, None
    coordinates = geometry.get("coordinates")
    if not (isinstance(coordinates, list) and len(coordinates) >= 2):
        return None, None
    return coordinates[0], coordinates[1]


def _cell(value: Any) -> str:
    """A property as the CSV writes it: "" for null, numbers as Python prints them."""
    return "" if value is None else str(value).strip()


def map_tiers_lieu(raw: dict) -> Mapped:
    """An inventory row -> OrganisationData of kind tiers-lieu. Pure.

    Raises RowRejected when the name is missing or the coordinates are unreadable or
    outside France. A point geocoded too loosely (score < 0.5, or only to the commune)
    is left out: the place stays in the directory, off the map.
    """
    name = required_text(raw, "NOM_TL", _("Nom du tiers-lieu"))
    point = point_from_lon_lat(text(raw, "LONG"), text(raw, "LAT"))
    score = _score(text(raw, "PRECISION"))
    warnings = []
    if point is not None and not _precise_enough(score, text(raw, "GEOCOD")):
        point = None
        warnings.append(_("position trop imprécise, non retenue"))
    website = clean_website(text(raw, "WEB"))
    if text(raw, "WEB") and not website:
        warnings.append(_("site web invalide ignoré : %(web)s") % {"web": text(raw, "WEB")})
    data = OrganisationData(
        name=name,
        kinds=("tiers-lieu",),
        description=_description(text(raw, "TYPO")),
        street=text(raw, "ADRESSE"),
        postcode=clean_postcode(text(raw, "CP")),
        city=text(raw, "NOMCOM"),
        insee_code=clean_insee_code(text(raw, "INSEECOM")),
        location=point,
        geocoding_quality=GeocodingQuality.SOURCE if point else "",
        geocoding_score=score if point else None,
        website=website,
    )
    return Mapped(data, warnings=tuple(warnings))


def _score(value: str) -> float | None:
    try:
        score = float(value)
    except ValueError:
        return None
    return score if 0 <= score <= 1 else None


def _precise_enough(score: float | None, geocoded_label: str) -> bool:
    """Trusted when scored >= 0.5 and matched below the commune (its label has a postcode)."""
    has_postcode = any(word.isdigit() and len(word) == 5 for word in geocoded_label.split())
    return score is not None and score >= MIN_PRECISION and has_postcode


def _description(typology: str) -> str:
    if not typology:
        return _("Recensé dans l'inventaire national des tiers-lieux de 2019 (CGET).")
    return _("%(typology)s, d'après l'inventaire national des tiers-lieux de 2019 (CGET).") % {
        "typology": typology.replace("Tiers lieux", "Tiers-lieu")
    }
