"""Pure helpers the mappers share: text, identifiers, coordinates, websites, term lists.

Nothing here touches the database or the network; a helper either returns a clean value
or raises `RowRejected` with a reason a person can act on.
"""

import math
import re
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from directory.identifiers import siret_is_valid
from directory.models.organisations import QPV_CODE_PATTERN
from importers.engine.errors import RowRejected

#: Bounding boxes (min lon, min lat, max lon, max lat) of France, mainland and overseas.
#: A point outside them is a data error (often latitude and longitude swapped).
FRANCE_EXTENTS = (
    (-5.5, 41.0, 10.0, 51.2),  # mainland France and Corsica
    (-61.9, 14.3, -60.7, 16.6),  # Guadeloupe, Martinique
    (-63.2, 17.8, -62.7, 18.2),  # Saint-Martin, Saint-Barthélemy
    (-54.7, 2.0, -51.5, 6.0),  # Guyane
    (55.1, -21.5, 55.9, -20.8),  # La Réunion
    (44.9, -13.1, 45.4, -12.5),  # Mayotte
    (-56.5, 46.7, -56.1, 47.2),  # Saint-Pierre-et-Miquelon
)


_EWKT_POINT = re.compile(r"^SRID=(\d+);\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)$", re.IGNORECASE)
_NAF = re.compile(r"^(\d{2})\.?(\d{2}[A-Z])$")
_POSTCODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_QPV_CODE = re.compile(QPV_CODE_PATTERN)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_url_validator = URLValidator(schemes=["http", "https"])


def text(raw: Mapping[str, Any], key: str) -> str:
    """The value of `key` as a trimmed string; "" when absent or null."""
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def required_text(raw: Mapping[str, Any], key: str, label: str) -> str:
    """Like `text`, but an empty value rejects the row ("<label> manquant")."""
    value = text(raw, key)
    if not value:
        raise RowRejected(_("%(label)s manquant (colonne %(key)s).") % {"label": label, "key": key})
    return value


def in_france(lon: float, lat: float) -> bool:
    """Whether (lon, lat) falls in one of the FRANCE_EXTENTS."""
    return any(
        west <= lon <= east and south <= lat <= north for west, south, east, north in FRANCE_EXTENTS
    )


def point_from_lon_lat(lon_text: str, lat_text: str) -> Point | None:
    """A WGS84 point from decimal degrees; None when both are empty.

    Raises RowRejected when only one is given, when they are not numbers, or when the
    point is outside France.
    """
    if not lon_text and not lat_text:
        return None
    try:
        lon, lat = float(lon_text.replace(",", ".")), float(lat_text.replace(",", "."))
    except ValueError:
        raise RowRejected(
            _("Coordonnées illisibles : longitude %(lon)r, latitude %(lat)r.")
            % {"lon": lon_text, "lat": lat_text}
        ) from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise RowRejected(
            _("Coordonnées non numériques (NaN ou infini) : longitude %(lon)r, latitude %(lat)r.")
            % {"lon": lon_text, "lat": lat_text}
        )
    if not in_france(lon, lat):
        raise RowRejected(
            _("Coordonnées hors de France : longitude %(lon)s, latitude %(lat)s.")
            % {"lon": lon, "lat": lat}
        )
    return Point(lon, lat, srid=4326)


def point_from_ewkt(value: str) -> Point | None:
    """A point from "SRID=4326;POINT (lon lat)"; None when empty.

    Only EPSG:4326 is accepted: the input never chooses a spatial reference.
    Raises RowRejected for another SRID, another geometry or a point outside France.
    """
    if not value:
        return None
    match = _EWKT_POINT.match(value.strip())
    if match is None:
        raise RowRejected(_("Position illisible : %(value)r.") % {"value": value})
    if match[1] != "4326":
        raise RowRejected(
            _("Système de coordonnées non accepté : SRID=%(srid)s.") % {"srid": match[1]}
        )
    return point_from_lon_lat(match[2], match[3])


def finite_number(value: Any) -> float | None:
    """`value` ("16 750,5", 16750.5) as a finite float; None when it is not a number, or
    is NaN or infinite (which no measure means)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(
            re.sub(r"\s", "", value).replace(",", ".") if isinstance(value, str) else value
        )
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


_NOT_FINITE = re.compile(r"nan|inf", re.IGNORECASE)


def geometry_check(geometry: GEOSGeometry) -> GEOSGeometry:
    """`geometry` when it has coordinates and all of them are finite numbers. Raises
    RowRejected for an empty geometry (POINT EMPTY) or a NaN or infinite coordinate."""
    if geometry.empty:
        raise RowRejected(_("Géométrie vide (%(type)s EMPTY).") % {"type": geometry.geom_type})
    # The extent alone misses a NaN after the first coordinate (GEOS's min and max skip
    # it); the WKT names every coordinate, and its keywords hold neither "nan" nor "inf".
    if not all(math.isfinite(bound) for bound in geometry.extent) or _NOT_FINITE.search(
        geometry.wkt
    ):
        raise RowRejected(_("Géométrie aux coordonnées non numériques (NaN ou infini)."))
    return geometry


def clean_siret(value: str) -> str:
    """`value` without spaces, checked. Raises RowRejected when it is not a valid SIRET."""
    siret = re.sub(r"\s", "", value)
    if not siret_is_valid(siret):
        raise RowRejected(_("SIRET invalide : %(value)r.") % {"value": value})
    return siret


def clean_naf(value: str) -> str:
    """A NAF code written like 88.99B (from 8899B or 88.99B); "" when it is not one."""
    match = _NAF.match(value.strip().upper())
    return f"{match[1]}.{match[2]}" if match else ""


def clean_qpv_code(value: str) -> str:
    """A QPV 2024 code (QN05906M), or "": what SIRENE's geolocation writes for an
    établissement outside every QPV ("HZ", hors zone; "CSZ", commune sans zonage) or
    cannot place is no QPV, and counts as empty like a missing value."""
    value = value.strip().upper()
    return value if _QPV_CODE.match(value) else ""


def clean_postcode(value: str) -> str:
    """A five-digit postcode, or ""."""
    return value if _POSTCODE.match(value) else ""


def clean_insee_code(value: str) -> str:
    """A commune's INSEE code (5 characters, Corsica included), or ""."""
    value = value.strip().upper()
    return value if _INSEE.match(value) else ""


def clean_website(value: str) -> str:
    """An http(s) URL; "www.example.org" gains "http://". "" when it is not a valid URL."""
    value = value.strip()
    if not value:
        return ""
    if not _SCHEME.match(value):
        value = f"http://{value}"
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value if len(value) <= 500 else ""


def split_terms(value: str, separator: str = ";") -> list[str]:
    """Split `value` on `separator`, except inside brackets; trimmed, empty parts dropped."""
    if "(" not in value:  # the common case
        return [part.strip() for part in value.split(separator) if part.strip()]
    # Only brackets and separators are visited, not every character (a long list of terms
    # in every copy of a row made a file of copies slow).
    parts, start, depth = [], 0, 0
    for match in re.finditer(f"[(){re.escape(separator)}]", value):
        char = match.group()
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth <= 0:
            parts.append(value[start : match.start()])
            start = match.end()
    parts.append(value[start:])
    return [part.strip() for part in parts if part.strip()]


def term_head(term: str) -> str:
    """The part of a term before its bracketed details, lowercased: "Prêt (x)" -> "prêt"."""
    return term.split("(", 1)[0].strip().lower()


def term_details(term: str) -> str:
    """The bracketed details of a term, lowercased: "prêt (Avance)" -> "avance"."""
    _head, _sep, rest = term.partition("(")
    return rest.rsplit(")", 1)[0].strip().lower()
