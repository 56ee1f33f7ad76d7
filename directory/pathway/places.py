"""Where a pathway's project is: a typed address placed by the BAN, a quartier, or all of
Lille, and how well each scheme's or offer's territory fits that place. Reads only.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from directory.pathway import sql
from directory.pathway.rules import TerritoryFit

#: Share of a place's surface an outline must hold to contain it (real outlines from
#: different sources overlap at 96.5 % to 100 % for the quartiers of Lille and its commune).
COVER_SHARE = 0.9
#: Below this share an outline does not even touch the place (shared borders).
TOUCH_SHARE = 0.01
LILLE_INSEE = "59350"


@dataclass(frozen=True)
class PlaceQuery:
    """Where the project is, as asked: a point (from an address), a quartier, or neither
    ("partout à Lille")."""

    lat: float | None = None
    lon: float | None = None
    quartier: str = ""
    address: str = ""


@dataclass(frozen=True)
class Place:
    """The resolved place: what to call it, its outline (`area_id`) and a point if known."""

    kind: str  # "adresse", "quartier" or "lille"
    label: str
    phrase: str
    area_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    found: bool = True
    in_territory: bool = True

    @property
    def point(self) -> Point | None:
        return None if self.lat is None else Point(self.lon, self.lat, srid=4326)


# --- Place --------------------------------------------------------------------------------


def address_place_get(*, address: str) -> PlaceQuery | None:
    """Where `address` is in Lille, as the BAN says: a PlaceQuery with the BAN's label and
    point, or None when it does not place it (no match, unreachable, odd answer).

    For a form sent without coordinates, the browser's geocoding having failed: one HTTP
    request with a short timeout, by the function `settings.CARTESS_ADDRESS_LOCATOR` names
    (the importers' BAN client: the directory does not import it). Never raises.
    """
    found = import_string(settings.CARTESS_ADDRESS_LOCATOR)(address=address)
    if found is None:
        return None
    return PlaceQuery(lat=found.lat, lon=found.lon, address=found.label)


def place_resolve(*, query: PlaceQuery) -> Place:
    """The project's place: a point wins over a quartier, and neither means all of Lille.

    A quartier is looked up by code (59350-6) or slug (lille-moulins) among quartiers and
    QPV; an unknown one comes back with `found` False. One or two queries.
    """
    if query.lat is not None and query.lon is not None:
        return _address_place(query)
    if query.quartier:
        return _quartier_place(query.quartier)
    area = _area_lookup(value=LILLE_INSEE, kinds=("commune",))
    return Place(
        kind="lille",
        label=_("Partout à Lille, Hellemmes et Lomme"),
        phrase=_("tout Lille"),
        area_id=area[0] if area else None,
    )


def _address_place(query: PlaceQuery) -> Place:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.POINT_IN_LILLE, {"lat": query.lat, "lon": query.lon, "code": LILLE_INSEE}
        )
        inside = cursor.fetchone()[0]
    return Place(
        kind="adresse",
        label=query.address or f"{query.lat:.5f}, {query.lon:.5f}",
        phrase=_("votre adresse"),
        lat=query.lat,
        lon=query.lon,
        in_territory=inside is not False,
    )


def _quartier_place(value: str) -> Place:
    area = _area_lookup(value=value, kinds=("quartier", "qpv", "commune-associee"))
    if area is None:
        return Place(kind="quartier", label=value, phrase=_("votre quartier"), found=False)
    area_id, name, _kind, lat, lon = area
    return Place(
        kind="quartier",
        label=name,
        phrase=_("le quartier %(name)s") % {"name": name},
        area_id=area_id,
        lat=lat,
        lon=lon,
    )


def _area_lookup(*, value: str, kinds: tuple[str, ...]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql.AREA_BY_CODE_OR_SLUG, {"value": value, "kinds": list(kinds)})
        return cursor.fetchone()


def territory_fits_get(*, place: Place) -> dict[tuple[str, int], TerritoryFit]:
    """(SCHEME or OFFER, id) -> what PostGIS says of each offer outlined by reference areas.

    Offers without outlines are absent (their scope decides). One query.
    """
    params = {"lat": place.lat, "lon": place.lon, "area_id": place.area_id}
    if place.kind != "adresse":
        params.update(lat=None, lon=None)
    shares: dict[tuple[str, int], list] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql.TERRITORY_SHARES, params)
        for model, offer_id, name, kind, share in cursor.fetchall():
            shares[(model, offer_id)].append((name, kind, share))
    return {key: _territory_fit(rows) for key, rows in shares.items()}


def _territory_fit(rows: list[tuple]) -> TerritoryFit:
    covering = tuple(
        (name, kind) for name, kind, share in rows if share is not None and share >= COVER_SHARE
    )
    touching = tuple(
        name for name, _kind, share in rows if share is None or TOUCH_SHARE < share < COVER_SHARE
    )
    return TerritoryFit(has_areas=True, covering=covering, touching=touching)
