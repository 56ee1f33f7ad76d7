"""`cartofriches`: friches (brownfield sites) of the territory, from Cartofriches (Cerema).

Shapes read:

- the CNIG Friches standard CSV (`--file friches.csv`, v1.0.6 columns; lists `|`-separated;
  `geompoint` and `geomsurf` in WKT);
- the Cerema API (live default, or `--url <base>`): for each INSEE code of the territory,
  `GET <base>/cartofriches/friches/?code_insee=<code>&page_size=500` (pages `{count, next,
  results}`) for the attributes, and `GET <base>/cartofriches/geofriches/?code_insee=<code>`
  (GeoJSON) for the outlines, joined on `site_id`; `--file` also reads such saved answers
  (`.json` pages or a `.geojson` FeatureCollection).

Geometry: WKT or GeoJSON, EPSG:4326 only (an EWKT `SRID=` prefix is refused: input never
chooses a spatial reference). Axis order is checked by range, not trusted: the CNIG example
writes `POINT(lat lon)`. A geometry whose coordinates only fit France once swapped is
swapped (and the row says so); one that fits France neither way is dropped. Polygons are
kept as the footprint (an invalid one, e.g. self-intersecting, is made valid), points as
the location; a site needs one of them.

Mapping: site_statut -> PremisesStatus (sans projet: disponible; avec projet: en-projet;
reconvertie: reconverti; potentielle or inconnu: inconnu); sol_pollution_existe ->
Pollution; urba_zone_type -> PlanningZone; surfaces in m²; the owner type is read from the
owner's name (commune, métropole, État, bailleur social) or "personne physique" (private);
a private person's name is never stored: `read` and `fetch` already blank `proprio_nom`
for such a site, so neither the provenance nor a rejection keeps it. Only the columns
above are kept of a record (an API record's other fields, such as `source_contact`, are
dropped). Owner names are staff-only fields.

Publication: imported friches are created as drafts (`brouillon`). Cartofriches lists
"friches potentielles" that nobody has checked, sites with a project already, and private
property: the city's staff review a site before it is shown to the public as an
opportunity; a publication decided by a person is kept by later imports.
"""

import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.utils.translation import gettext as _

from cartography.models import OwnerType, PlanningZone, Pollution, PremisesKind, PremisesStatus
from cartography.services import PremisesData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import RowRejected
from importers.engine.mapping import (
    clean_insee_code,
    finite_number,
    geometry_check,
    in_france,
    split_terms,
    text,
)
from importers.io.answers import check_envelope
from importers.io.http import Fetcher
from importers.io.readers import csv_rows, load_json, require_keys
from importers.sources.quartiers import multipolygon_made_valid

logger = logging.getLogger(__name__)

#: The Cerema's public "API Données foncières", despite the "preprod" in its name: it is the
#: base URL of the Cerema's own Python client (github.com/CEREMA/apifoncier, config.py,
#: `base_url`, also rcadot/py.apifoncier), and `apidf.cerema.fr` did not resolve when others
#: checked it in 2026. Change it here (or give --url / CARTESS_SCHEDULE_ORIGINS) the day the
#: Cerema publishes another host.
API_URL = "https://apidf-preprod.cerema.fr"
PAGE_SIZE = 500
COLUMNS = (
    "site_id",
    "site_nom",
    "site_type",
    "site_adresse",
    "site_statut",
    "site_occupation",
    "comm_nom",
    "comm_insee",
    "bati_surface",
    "proprio_type",
    "proprio_personne",
    "proprio_nom",
    "sol_pollution_existe",
    "unite_fonciere_surface",
    "urba_zone_type",
    "source_nom",
    "geompoint",
    "geomsurf",
)
#: Words of site_statut -> PremisesStatus; first match wins.
STATUSES = (
    ("sans projet", PremisesStatus.AVAILABLE),
    ("avec projet", PremisesStatus.UNDER_PROJECT),
    ("reconverti", PremisesStatus.RECONVERTED),
)
#: Words of sol_pollution_existe -> Pollution; first match wins.
POLLUTIONS = (
    ("avérée", Pollution.YES),
    ("suppos", Pollution.SUSPECTED),
    ("suspect", Pollution.SUSPECTED),
    ("inexist", Pollution.NO),
    ("pas de pollution", Pollution.NO),
    ("non", Pollution.NO),
)
#: Words of the owner's name -> OwnerType; first match wins.
OWNERS = (
    (r"\b(métropole|mel)\b", OwnerType.METROPOLE),
    (r"^(commune|ville|mairie)\b", OwnerType.CITY),
    (r"\b(état|ministère|sncf réseau|voies navigables)\b", OwnerType.STATE),
    (r"\b(hlm|habitat|logement|bailleur|vilogia|partenord)\b", OwnerType.SOCIAL_LANDLORD),
    (r"\b(région|département|epf|établissement public)\b", OwnerType.OTHER_PUBLIC),
)
#: proprio_personne of a private owner ("personne physique"; "personne morale" otherwise).
PRIVATE_PERSON = "physique"
#: What a saved JSON answer must give in at least one record.
REQUIRED_KEYS = ("site_id",)
_EWKT = re.compile(r"^\s*SRID\s*=", re.IGNORECASE)
_PAIR = re.compile(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")


class CartofrichesSource(ImportSource):
    slug = "cartofriches"
    mapping_version = 2
    info = SourceInfo(
        name="Cartofriches",
        publisher="Cerema",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://cartofriches.cerema.fr/",
        description="Friches recensées (standard CNIG Friches) : statut, surfaces, pollution.",
    )
    default_url = API_URL
    is_api = True

    def read(self, path: Path) -> Iterator[RawRow]:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return (
                RawRow(number=row.number, data=stored_record(row.data))
                for row in csv_rows(path, columns=COLUMNS)
            )
        return _json_rows(path)

    def fetch(self, url: str, fetcher: Fetcher) -> Iterator[RawRow]:
        base = url.rstrip("/")
        number = 0
        for code in settings.CARTESS_TERRITORY_INSEE_CODES:
            outlines = _outlines(fetcher, base, code)
            pages = fetcher.pages_by_link(
                f"{base}/cartofriches/friches/",
                params={"code_insee": code, "page_size": PAGE_SIZE},
            )
            for record in (item for page in pages for item in page["results"]):
                number += 1
                yield RawRow(number=number, data=stored_record(_with_outline(record, outlines)))

    def external_id(self, row: RawRow) -> str:
        return text(row.data, "site_id")

    def locate(self, row: RawRow) -> Whereabouts:
        try:
            point = _location(row.data)[0]
        except RowRejected:
            point = None
        return Whereabouts(point=point, insee_code=clean_insee_code(text(row.data, "comm_insee")))

    def map(self, row: RawRow) -> Mapped:
        return map_friche(row.data)


def map_friche(raw: Mapping[str, Any]) -> Mapped:
    """A CNIG Friches record -> PremisesData of kind friche, as a draft. Pure.

    Raises RowRejected when the site has no usable geometry or an unreadable one.
    """
    location, point_notes = _location(raw)
    footprint, outline_notes = _footprint(raw)
    if location is None and footprint is None:
        raise RowRejected(_("Ni position ni emprise utilisable."))
    private_person = is_private_person(raw)
    data = PremisesData(
        name=(text(raw, "site_nom") or _("Friche %(id)s") % {"id": text(raw, "site_id")})[:255],
        kind=PremisesKind.FRICHE,
        description=description(raw),
        location=location,
        footprint=footprint,
        street=text(raw, "site_adresse")[:255],
        city=text(raw, "comm_nom")[:120],
        insee_code=clean_insee_code(text(raw, "comm_insee")),
        surface_m2=surface(text(raw, "unite_fonciere_surface")),
        built_surface_m2=surface(text(raw, "bati_surface")),
        owner_type=owner_type(text(raw, "proprio_nom"), private_person),
        owner_name="" if private_person else text(raw, "proprio_nom")[:255],
        status=_first(text(raw, "site_statut"), STATUSES, PremisesStatus.UNKNOWN),
        planning_zone=planning_zone(text(raw, "urba_zone_type")),
        pollution=_first(text(raw, "sol_pollution_existe"), POLLUTIONS, Pollution.UNKNOWN),
    )
    return Mapped(data, warnings=(*point_notes, *outline_notes))


def is_private_person(raw: Mapping[str, Any]) -> bool:
    """Whether the owner is a private person ("personne physique"), whose name is personal."""
    return PRIVATE_PERSON in text(raw, "proprio_personne").lower()


def stored_record(record: Any) -> dict:
    """What is kept of a record as its raw data: the COLUMNS it has, and no private
    person's name (blanked); {} for a record that is not an object."""
    if not isinstance(record, Mapping):
        return {}
    kept = {key: record[key] for key in COLUMNS if key in record}
    if is_private_person(kept) and "proprio_nom" in kept:
        kept["proprio_nom"] = ""
    return kept


def geometry_from(value: Any) -> tuple[GEOSGeometry | None, bool]:
    """(geometry, whether its axes were swapped) from WKT or a GeoJSON object, EPSG:4326.

    (None, False) when empty. Raises RowRejected for an unreadable geometry, an EWKT that
    names its own SRID, or coordinates that fit France in neither axis order.
    """
    if value in (None, ""):
        return None, False
    geometry = _parse(value)
    if _fits_france(geometry):
        return geometry, False
    swapped = _swapped(geometry)
    if swapped is not None and _fits_france(swapped):
        return swapped, True
    raise RowRejected(_("Géométrie hors de France dans les deux ordres d'axes."))


def description(raw: Mapping[str, Any]) -> str:
    """Type, occupation and origin of the site, in French sentences."""
    parts = []
    if text(raw, "site_type"):
        parts.append(_("Type : %(type)s.") % {"type": text(raw, "site_type")})
    if text(raw, "site_occupation"):
        parts.append(_("Occupation : %(occ)s.") % {"occ": text(raw, "site_occupation")})
    if text(raw, "site_statut"):
        parts.append(_("Statut Cartofriches : %(statut)s.") % {"statut": text(raw, "site_statut")})
    sources = split_terms(text(raw, "source_nom"), "|")
    if sources:
        parts.append(_("Recensée par : %(sources)s.") % {"sources": ", ".join(sources)})
    return " ".join(parts)


def surface(value: str) -> int | None:
    """A surface in m² ("16750", "16750.5", "16 750"); None when unreadable or not positive."""
    number = finite_number(value)
    return round(number) if number is not None and number > 0 else None


def owner_type(name: str, private_person: bool) -> str:
    """OwnerType from the owner's name (see OWNERS); PRIVATE for a private person."""
    if private_person:
        return OwnerType.PRIVATE
    lowered = name.lower()
    for pattern, kind in OWNERS:
        if re.search(pattern, lowered):
            return kind
    return OwnerType.UNKNOWN


def planning_zone(value: str) -> str:
    """The PlanningZone of urba_zone_type (the first one of a `|` list), or ""."""
    zones = split_terms(value, "|")
    return zones[0] if zones and zones[0] in PlanningZone.values else ""


def _first(value: str, table: tuple, default: str) -> str:
    lowered = value.lower()
    return next((result for words, result in table if words in lowered), default)


def _location(raw: Mapping[str, Any]) -> tuple[Point | None, tuple[str, ...]]:
    geometry, swapped = geometry_from(raw.get("geompoint"))
    if geometry is None:
        return None, ()
    if not isinstance(geometry, Point):
        raise RowRejected(_("geompoint n'est pas un point."))
    return geometry, _swap_note(swapped, "geompoint")


def _footprint(raw: Mapping[str, Any]) -> tuple[MultiPolygon | None, tuple[str, ...]]:
    try:
        geometry, swapped = geometry_from(raw.get("geomsurf"))
        if geometry is None:
            return None, ()
        footprint = multipolygon_made_valid(geometry)
    except RowRejected as error:
        return None, (_("emprise ignorée (%(reason)s)") % {"reason": _clause(error.reason)},)
    return footprint, _swap_note(swapped, "geomsurf")


def _swap_note(swapped: bool, column: str) -> tuple[str, ...]:
    if swapped:
        return (
            _("latitude et longitude inversées dans %(column)s, corrigées") % {"column": column},
        )
    return ()


def _clause(reason: str) -> str:
    """A rejection's sentence as a clause: "Géométrie illisible." -> "géométrie illisible"."""
    reason = reason.strip().removesuffix(".")
    return reason[:1].lower() + reason[1:]


def _parse(value: Any) -> GEOSGeometry:
    try:
        if isinstance(value, Mapping):
            geometry = GEOSGeometry(json.dumps(value))
        else:
            if _EWKT.match(str(value)):
                raise RowRejected(_("Géométrie avec son propre SRID refusée."))
            geometry = GEOSGeometry(str(value))
    except (GEOSException, GDALException, ValueError, TypeError):
        # GEOS says it in English ("String input unrecognized as WKT EWKT, and HEXEWKB.").
        raise RowRejected(_("Géométrie illisible (ni WKT ni GeoJSON).")) from None
    geometry.srid = 4326
    return geometry_check(geometry)


def _fits_france(geometry: GEOSGeometry) -> bool:
    west, south, east, north = geometry.extent
    return in_france(west, south) and in_france(east, north)


def _swapped(geometry: GEOSGeometry) -> GEOSGeometry | None:
    try:
        swapped = GEOSGeometry(_PAIR.sub(r"\2 \1", geometry.wkt))
    except (GEOSException, ValueError):
        return None
    swapped.srid = 4326
    return swapped


def _outlines(fetcher: Fetcher, base: str, code: str) -> dict[str, Any]:
    """{site_id: GeoJSON geometry} of the geofriches of a commune (following `next`)."""
    outlines: dict[str, Any] = {}
    pages = fetcher.pages_by_link(
        f"{base}/cartofriches/geofriches/",
        params={"code_insee": code},
        results_key="features",
        require_next=False,
    )
    for page in pages:
        for feature in page["features"]:
            record = _feature_record(feature)
            if record.get("site_id") and record.get("geomsurf"):
                outlines[str(record["site_id"])] = record["geomsurf"]
    return outlines


def _with_outline(record: Any, outlines: Mapping[str, Any]) -> dict:
    if not isinstance(record, dict):
        return {}
    outline = outlines.get(text(record, "site_id"))
    return {**record, "geomsurf": outline} if outline and not record.get("geomsurf") else record


def _json_rows(path: Path) -> Iterator[RawRow]:
    """Saved API answers: `{count, next, results}` pages, or a GeoJSON FeatureCollection."""
    payload = load_json(path)
    if isinstance(payload, dict) and payload.get("type") == "FeatureCollection":
        check_envelope(payload, path.name, results_key="features")
        records = [_feature_record(feature) for feature in payload["features"]]
    else:
        check_envelope(payload, path.name)
        records = payload["results"]
    require_keys([r for r in records if isinstance(r, dict)], REQUIRED_KEYS, path.name)
    for number, record in enumerate(records, start=1):
        yield RawRow(number=number, data=stored_record(record))


def _feature_record(feature: Any) -> dict:
    """A GeoJSON feature as a flat record: its properties, its geometry as geomsurf/geompoint."""
    if not isinstance(feature, dict):
        return {}
    geometry = feature.get("geometry") or {}
    key = "geompoint" if geometry.get("type") == "Point" else "geomsurf"
    return {**(feature.get("properties") or {}), key: geometry or None}
