"""Geometry typed by a person instead of drawn: a point's coordinates, or an outline pasted
as WKT or GeoJSON (the keyboard and screen-reader alternative to drawing on a map).

The text is read by shapely, which knows no spatial reference: input never chooses one
(see the `gis.W001` note in config/settings/base.py). Coordinates are longitude and
latitude in WGS 84 (EPSG:4326); an EWKT `SRID=` prefix or a GeoJSON `crs` member naming
anything else is refused. Only the shape is checked here; whether it is valid and inside
Lille is `services.premises_geometry_validate`'s business.
"""

import json
import re

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely import wkt as shapely_wkt
from shapely.errors import GEOSException, ShapelyError
from shapely.geometry import shape

STORAGE_SRID = 4326
#: How GeoJSON files name WGS 84 longitude/latitude when they name it at all.
WGS84_NAMES = frozenset(
    {"EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "CRS84"}
)
EWKT_PREFIX = re.compile(r"^\s*SRID=(?P<srid>\d+)\s*;\s*", re.IGNORECASE)


def _outline_error() -> ValidationError:
    return ValidationError(
        _(
            "Contour illisible. Collez un polygone en WKT, par exemple "
            "« POLYGON ((3.0601 50.6301, 3.0611 50.6301, 3.0611 50.6309, 3.0601 50.6301)) », "
            "ou une géométrie GeoJSON de type Polygon ou MultiPolygon, en longitude puis "
            "latitude (WGS 84)."
        ),
        code="unreadable",
    )


def _wrong_crs() -> ValidationError:
    return ValidationError(
        _(
            "Seules les coordonnées en longitude et latitude WGS 84 (EPSG:4326) sont "
            "acceptées : convertissez le contour avant de le coller."
        ),
        code="crs",
    )


def _from_geojson(text: str):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _outline_error() from error
    if not isinstance(data, dict):
        raise _outline_error()
    crs = data.get("crs")
    if crs is not None:
        name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
        if name not in WGS84_NAMES:
            raise _wrong_crs()
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise ValidationError(
                _("Collez un seul contour : cette collection contient %(count)s objets.")
                % {"count": len(features)},
                code="several",
            )
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict):
        raise _outline_error()
    try:
        return shape(data)
    except (ShapelyError, GEOSException, ValueError, TypeError, AttributeError, KeyError) as error:
        raise _outline_error() from error


def _from_wkt(text: str):
    match = EWKT_PREFIX.match(text)
    if match:
        if int(match["srid"]) != STORAGE_SRID:
            raise _wrong_crs()
        text = text[match.end() :]
    try:
        return shapely_wkt.loads(text)
    except (ShapelyError, GEOSException, ValueError) as error:
        raise _outline_error() from error


def outline_parse(*, text: str) -> MultiPolygon:
    """The outline typed or pasted in `text` (WKT, EWKT in SRID 4326, or GeoJSON).

    Returns an EPSG:4326 multipolygon (a polygon is wrapped; a third dimension dropped).
    Raises ValidationError (French message) when the text is not a polygon or names another
    spatial reference. The polygon may still be invalid (self-crossing): not checked here.
    """
    text = text.strip()
    geometry = _from_geojson(text) if text.startswith("{") else _from_wkt(text)
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        raise ValidationError(
            _(
                "Le contour doit être un polygone (Polygon ou MultiPolygon) ; "
                "vous avez donné : %(kind)s."
            )
            % {"kind": geometry.geom_type},
            code="not_polygon",
        )
    geos = GEOSGeometry(shapely.force_2d(geometry).wkt, srid=STORAGE_SRID)
    return geos if isinstance(geos, MultiPolygon) else MultiPolygon(geos, srid=STORAGE_SRID)


def point_from_coordinates(*, latitude: float, longitude: float) -> Point:
    """The EPSG:4326 point at `latitude`, `longitude` (degrees, WGS 84)."""
    return Point(longitude, latitude, srid=STORAGE_SRID)
