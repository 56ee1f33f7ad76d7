"""`quartiers`: Lille's 10 quartiers plus Hellemmes and Lomme, as reference areas.

The bundled file is an Opendatasoft-style export (see importers/data/SOURCES.md): columns
commune, quartier, code_com (350, 298, 355), code_quar, code_post, geo_point_2d, geo_shape
(a GeoJSON geometry). Header cells and values carry trailing spaces, and the long
geo_shape cells are wrapped over several lines, sometimes inside a number.

Outlines (here and for the `qpv` and `cartofriches` sources): an invalid polygon (a
bowtie, a ring that touches itself) is made valid by GEOS (`make_valid`), keeping its
polygonal parts; one with no area left is rejected.
"""

import json
from collections.abc import Iterator
from pathlib import Path

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext as _

from cartography.models import AreaKind
from cartography.services import AreaData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.mapping import geometry_check, in_france, required_text, text
from importers.io.bounded import LimitExceeded, json_parse
from importers.io.readers import csv_rows

DATA_FILE = Path(__file__).resolve().parent.parent / "data/lille-quartiers/lille_geo_quartier.csv"
COLUMNS = ("commune", "quartier", "code_com", "code_quar", "geo_shape")
#: The INSEE code of the commune all quartiers belong to; the others are communes associées.
CITY_CODE = "59350"


class QuartiersSource(ImportSource):
    slug = "quartiers"
    mapping_version = 2
    info = SourceInfo(
        name="Quartiers de Lille",
        publisher="MEL (origine non vérifiée), via le dépôt cunvoas/opendata-tools",
        licence="Non précisée (dépôt sous AGPL-3.0)",
        licence_url="https://www.gnu.org/licenses/agpl-3.0.html",
        url="https://github.com/cunvoas/opendata-tools",
        description="Les 10 quartiers de Lille, Hellemmes et Lomme.",
    )

    def default_file(self) -> Path:
        return DATA_FILE

    def read(self, path: Path) -> Iterator[RawRow]:
        return csv_rows(path, columns=COLUMNS)

    def external_id(self, row: RawRow) -> str:
        insee, number = insee_code(row.data), text(row.data, "code_quar")
        return f"{insee}-{number}" if insee and number else ""

    def locate(self, row: RawRow) -> Whereabouts:
        return Whereabouts(insee_code=insee_code(row.data))

    def map(self, row: RawRow) -> Mapped:
        return map_quartier(row.data)


def insee_code(raw: dict) -> str:
    """The commune's INSEE code from code_com ("350" -> "59350"); "" when unusable."""
    code = text(raw, "code_com")
    return f"59{int(code):03d}" if code.isdigit() and int(code) < 1000 else ""


def map_quartier(raw: dict) -> Mapped:
    """A quartier row -> AreaData, code "<INSEE>-<code_quar>" ("59350-6"). Pure."""
    insee, number = insee_code(raw), text(raw, "code_quar")
    if not insee or not number.isdigit():
        raise RowRejected(_("Code de quartier incomplet ou invalide (code_com, code_quar)."))
    parent_kind = AreaKind.COMMUNE if insee == CITY_CODE else AreaKind.ASSOCIATED_COMMUNE
    return Mapped(
        AreaData(
            kind=AreaKind.QUARTIER,
            code=f"{insee}-{number}",
            name=required_text(raw, "quartier", _("Nom du quartier")),
            geometry=multipolygon_from_geojson(text(raw, "geo_shape")),
            parent_kind=parent_kind,
            parent_code=insee,
        )
    )


def multipolygon_from_geojson(value: str) -> MultiPolygon:
    """A MultiPolygon in EPSG:4326 from a GeoJSON geometry string. Raises RowRejected.

    Line breaks are removed first: the export wraps long cells, even inside numbers.
    GeoJSON is WGS84 by definition (RFC 7946); a point outside France is refused. An
    invalid polygon is made valid (`multipolygon_made_valid`).
    """
    cleaned = value.replace("\r", "").replace("\n", "")
    try:
        geometry = GEOSGeometry(json.dumps(json_parse(cleaned, name="geo_shape")), srid=4326)
    except LimitExceeded as error:
        raise RowRejected(str(error)) from None
    except (ValueError, GEOSException, GDALException, TypeError, ImportFailed):
        # GDAL says it in English ("Invalid 'x' coordinate...").
        raise RowRejected(_("Contour GeoJSON illisible.")) from None
    geometry = multipolygon_made_valid(geometry_check(geometry))
    lon, lat = geometry.point_on_surface.coords
    if not in_france(lon, lat):
        raise RowRejected(_("Contour hors de France (longitude et latitude inversées ?)."))
    return geometry


def multipolygon_made_valid(geometry: GEOSGeometry) -> MultiPolygon:
    """`geometry` (a Polygon or MultiPolygon) as a valid MultiPolygon in its SRID. Pure.

    An invalid one (self-intersecting, a ring that touches itself) is made valid by GEOS,
    and only its polygonal parts are kept (a bowtie becomes two triangles, a spike that
    folds back on itself is dropped). Raises RowRejected when `geometry` is not polygonal
    or has no area left once made valid.
    """
    if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        raise RowRejected(_("Contour inattendu : %(type)s.") % {"type": geometry.geom_type})
    # Not `geometry.valid`: GEOS would log its English notice ("Self-intersection at or
    # near point…") for every invalid outline. make_valid returns a valid one as it is.
    if not _made_valid(geometry).equals_exact(geometry):
        geometry = _valid_polygons(geometry)
    if isinstance(geometry, Polygon):
        geometry = MultiPolygon(geometry, srid=geometry.srid)
    return geometry


def _made_valid(geometry: GEOSGeometry) -> GEOSGeometry:
    try:
        return geometry.make_valid()
    except GEOSException:
        return GEOSGeometry("POLYGON EMPTY", srid=geometry.srid)


def _valid_polygons(geometry: GEOSGeometry) -> MultiPolygon:
    try:
        polygons = _polygons_in(geometry.make_valid())
    except GEOSException:
        polygons = []
    if not polygons:
        raise RowRejected(_("Contour invalide : il ne délimite aucune surface."))
    return MultiPolygon(*[polygon.clone() for polygon in polygons], srid=geometry.srid)


def _polygons_in(geometry: GEOSGeometry) -> list[Polygon]:
    """The non-empty polygons of a geometry, looking inside multi-parts and collections."""
    if isinstance(geometry, Polygon):
        return [] if geometry.empty else [geometry]
    if geometry.geom_type in {"MultiPolygon", "GeometryCollection"}:
        return [polygon for part in geometry for polygon in _polygons_in(part)]
    return []
