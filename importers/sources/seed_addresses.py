"""The points of the seed (issue 15): the coordinates a row gives, else the BAN's match of
its street address, when the run asks for geocoding (`import seed --geocode`, `sync`, the
schedule; never the offline `import --all`).

Only a row with a street in a commune of the territory is asked, with what the file says
(no postcode filter: the file's 59033/59034 are CEDEX codes the BAN does not know). The
query drops what is not a place: a bracketed note ("(Maison Stéphane Hessel)"), a postal box
("BP 667", "CS 50749") and a building name before the numbered street. The engine accepts a
match as for every source (score >= CARTESS_BAN_MIN_SCORE, street at least, in the
territory; importers.engine.geocode). A row whose address was not asked (an offline run) or
could not be (the BAN failed) says nothing about its point: a point placed by an earlier run
stays. A point a person set stays too (the engine's human-edit rule).
"""

import re

from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy

from directory.models import GeocodingQuality
from importers.engine.base import RawRow
from importers.engine.geocode import geocoded_location, geocoding_failed
from importers.engine.mapping import point_from_lon_lat, split_terms, text
from importers.io.geocoding import AddressQuery
from importers.sources.seed_vocabulary import TERRITORY_COMMUNES

#: Where a row's raw record says the run asked the BAN for its address.
GEOCODE_ASKED_KEY = "_geocodage_demande"
#: The fields a point comes with: unknown together when the row says nothing of its point.
POINT_FIELDS = frozenset({"location", "geocoding_quality", "geocoding_score"})
UNPLACED = gettext_lazy(
    "position : le géocodeur (BAN) n'a pas répondu, la fiche garde sa position d'avant "
    "(aucune si elle n'en avait pas) ; le prochain import géocodé la placera"
)
_BRACKETS = re.compile(r"\([^)]*\)")
_POSTAL_BOX = re.compile(r"^(bp|cs|tsa|cedex)\b", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d+\s*(bis|ter)?\b", re.IGNORECASE)


def seed_address_query(raw: dict) -> AddressQuery | None:
    """The BAN query of an organisations.csv row without coordinates whose street lies in a
    commune of the territory; None otherwise. Pure."""
    if text(raw, "longitude") or text(raw, "latitude"):
        return None
    citycode = TERRITORY_COMMUNES.get(text(raw, "commune").lower(), "")
    street = street_for_ban(text(raw, "street"))
    if not street or not citycode:
        return None
    return AddressQuery(key="", address=street, citycode=citycode)


def street_for_ban(street: str) -> str:
    """The part of a seed `street` the BAN can place. Pure.

    >>> street_for_ban("Pavillon Saint-Sauveur, 99 rue Saint-Sauveur, BP 667")
    '99 rue Saint-Sauveur'
    """
    parts = split_terms(_BRACKETS.sub(" ", street), ",")
    parts = [" ".join(part.split()) for part in parts if not _POSTAL_BOX.match(part)]
    numbered = next((i for i, part in enumerate(parts) if _NUMBERED.match(part)), 0)
    return ", ".join(part for part in parts[numbered:] if part)


def mark_asked(row: RawRow) -> RawRow:
    """`row`, marked as asked to the BAN when it has an address to ask (a run that
    geocodes). The mark tells the mapper that a missing match means no good match."""
    if seed_address_query(row.data) is not None:
        row.data[GEOCODE_ASKED_KEY] = True
    return row


def seed_point(raw: dict, warnings: list[str]) -> tuple[dict, frozenset[str]]:
    """(point fields, unknown fields) of an organisations.csv row: its own coordinates,
    else the BAN's match kept in `raw`, else none; the point fields are unknown when the
    BAN was not asked or failed (module docstring), with a warning for a failure. Pure.
    Raises RowRejected for one coordinate alone or a point outside France."""
    point = point_from_lon_lat(text(raw, "longitude"), text(raw, "latitude"))
    if point is not None:
        return _fields(point, GeocodingQuality.SOURCE, None), frozenset()
    point, quality, score = geocoded_location(raw)
    if point is not None:
        return _fields(point, quality, score), frozenset()
    if seed_address_query(raw) is None:
        return _fields(None, "", None), frozenset()
    if geocoding_failed(raw):
        warnings.append(str(UNPLACED))
        return {}, POINT_FIELDS
    if raw.get(GEOCODE_ASKED_KEY) is True:
        return _fields(None, "", None), frozenset()  # asked: no match good enough
    return {}, POINT_FIELDS


def _fields(point: Point | None, quality: str, score: float | None) -> dict:
    return {"location": point, "geocoding_quality": quality, "geocoding_score": score}
