"""Where a pathway's project is: a typed address placed by the BAN, a quartier, or all of
Lille, and how well each scheme's or offer's territory fits that place. Reads only.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from directory.pathway import sql
from directory.pathway.rules import TerritoryFit
from directory.prepared import prepared_cursor

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


#: The terms a project names, as `pathway_context_get` takes them (none: only the stages).
NOTHING_NAMED = {"family": "", "sector": "", "instruments": [], "kinds": [], "strategy": ""}


@dataclass(frozen=True)
class PathwayContext:
    """What the pathway knows before it judges: the named terms as (what, slug, name) rows
    (every stage first), the project's place, and (SCHEME or OFFER, id) -> territory fit."""

    terms: list[tuple[str, str, str]]
    place: Place
    fits: dict[tuple[str, int], TerritoryFit]


def pathway_context_get(*, query: PlaceQuery, named: dict) -> PathwayContext:
    """The terms `named` (keys of NOTHING_NAMED, slugs; unknown ones give nothing), the
    project's place and every outlined offer's territory fit, in one query.

    The place: a point wins over a quartier, and neither means all of Lille. A quartier is
    looked up by code (59350-6) or slug (lille-moulins) among quartiers and QPV; an unknown
    one comes back with `found` False. Offers without outlines are absent from `fits`
    (their scope decides).
    """
    params = {**named, **_place_params(query), "commune": LILLE_INSEE}
    with prepared_cursor() as cursor:  # its plan fits every place (directory.prepared)
        cursor.execute(sql.PATHWAY_CONTEXT, params)
        terms, area, inside, shares = (_json(value) for value in cursor.fetchone())
    by_offer: dict[tuple[str, int], list] = defaultdict(list)
    for model, offer_id, name, kind, share in shares or ():
        by_offer[(model, offer_id)].append((name, kind, share))
    return PathwayContext(
        terms=[tuple(term) for term in terms or ()],
        place=_place(query, area, inside),
        fits={key: _territory_fit(rows) for key, rows in by_offer.items()},
    )


def place_resolve(*, query: PlaceQuery) -> Place:
    """The project's place alone (see pathway_context_get). One query."""
    return pathway_context_get(query=query, named=NOTHING_NAMED).place


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _place_params(query: PlaceQuery) -> dict:
    if query.lat is not None and query.lon is not None:
        return {"lat": query.lat, "lon": query.lon, "area": "", "area_kinds": []}
    if query.quartier:
        kinds = ["quartier", "qpv", "commune-associee"]
        return {"lat": None, "lon": None, "area": query.quartier, "area_kinds": kinds}
    return {"lat": None, "lon": None, "area": LILLE_INSEE, "area_kinds": ["commune"]}


def _place(query: PlaceQuery, area: list | None, inside: bool | None) -> Place:
    if query.lat is not None and query.lon is not None:
        return Place(
            kind="adresse",
            label=query.address or f"{query.lat:.5f}, {query.lon:.5f}",
            phrase=_("votre adresse"),
            lat=query.lat,
            lon=query.lon,
            in_territory=inside is not False,
        )
    if query.quartier:
        if area is None:
            return Place(
                kind="quartier", label=query.quartier, phrase=_("votre quartier"), found=False
            )
        area_id, name, _kind, lat, lon = area
        return Place(
            kind="quartier",
            label=name,
            phrase=_("le quartier %(name)s") % {"name": name},
            area_id=area_id,
            lat=lat,
            lon=lon,
        )
    return Place(
        kind="lille",
        label=_("Partout à Lille, Hellemmes et Lomme"),
        phrase=_("tout Lille"),
        area_id=area[0] if area else None,
    )


def _territory_fit(rows: list[tuple]) -> TerritoryFit:
    covering = tuple(
        (name, kind) for name, kind, share in rows if share is not None and share >= COVER_SHARE
    )
    touching = tuple(
        name for name, _kind, share in rows if share is None or TOUCH_SHARE < share < COVER_SHARE
    )
    return TerritoryFit(has_areas=True, covering=covering, touching=touching)
