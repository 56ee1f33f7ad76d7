"""The network of places (issue 17): the lieux totems' "ambition commune" side by side, what
each place offers, and the gaps, the services no place of a quartier offers. Reads only.

A place offers a service when it declared it (PlaceService). Quartiers are the loaded
reference areas of kind quartier (`directory.areas.area_kinds_loaded_get` says when that
layer is missing).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Subquery

from cartography.models import AreaKind, PlaceService, PlaceServiceKind, ReferenceArea
from cartography.places import PlaceFilters, place_list
from directory.areas import area_kinds_loaded_get
from directory.models import Organisation


@dataclass(frozen=True)
class NetworkPlace:
    """A place and the slugs of the services it offers; its quartier when it is in one
    (never when it has no point: `located` tells that case from a point outside them)."""

    organisation: Organisation
    services: frozenset[str]
    quartier: str

    @property
    def located(self) -> bool:
        return self.organisation.location is not None


@dataclass(frozen=True)
class QuartierGap:
    """A quartier, how many places it holds, how many of them said what they offer, and the
    services none of those offers (a gap is only known where a place said)."""

    name: str
    places: int
    missing: list[PlaceServiceKind]
    declared: int = 0


@dataclass(frozen=True)
class PlaceNetwork:
    kinds: list[PlaceServiceKind]
    places: list[NetworkPlace]
    quartiers_loaded: bool
    gaps: list[QuartierGap] = field(default_factory=list)
    #: Places of /lieux/ without a point: counted in no quartier.
    unplaced: int = 0


def _places() -> list[NetworkPlace]:
    slugs = PlaceService.objects.filter(organisation=OuterRef("pk")).values("kind__slug")
    quartier = ReferenceArea.objects.filter(
        kind=AreaKind.QUARTIER, geometry__intersects=OuterRef("location")
    ).order_by("name")
    rows = place_list(filters=PlaceFilters()).annotate(
        service_slugs=ArraySubquery(slugs), quartier_name=Subquery(quartier.values("name")[:1])
    )
    return [
        NetworkPlace(
            organisation=row,
            services=frozenset(row.service_slugs),
            quartier=row.quartier_name or "",
        )
        for row in rows
    ]


def _gaps(places: list[NetworkPlace], kinds: list[PlaceServiceKind]) -> list[QuartierGap]:
    names = ReferenceArea.objects.filter(kind=AreaKind.QUARTIER).order_by("name")
    gaps = []
    for name in names.values_list("name", flat=True).distinct():
        inside = [place for place in places if place.quartier == name]
        offered = frozenset().union(*(place.services for place in inside))
        missing = [kind for kind in kinds if kind.slug not in offered]
        declared = sum(1 for place in inside if place.services)
        gaps.append(QuartierGap(name=name, places=len(inside), missing=missing, declared=declared))
    return gaps


def place_network_get(*, totems_only: bool = True) -> PlaceNetwork:
    """The places (the lieux totems when `totems_only`, else every place of /lieux/) with
    their services, and per quartier the services no place of /lieux/ in it offers (empty
    and `quartiers_loaded` False when the quartiers are not loaded), with how many places
    have no point (counted in no quartier). Four queries."""
    kinds = list(PlaceServiceKind.objects.all())
    places = _places()
    loaded = AreaKind.QUARTIER in area_kinds_loaded_get()
    shown = [place for place in places if place.organisation.is_totem or not totems_only]
    return PlaceNetwork(
        kinds=kinds,
        places=shown,
        quartiers_loaded=loaded,
        gaps=_gaps(places, kinds) if loaded else [],
        unplaced=sum(1 for place in places if not place.located),
    )


def place_network_csv_rows(network: PlaceNetwork) -> Iterator[list[str]]:
    """The CSV header then one row per place: name, page slug, quartier, lieu totem, then
    "oui" or "non" per service of the taxonomy."""
    yield [
        "lieu",
        "identifiant",
        "quartier",
        "lieu_totem",
        *(kind.slug for kind in network.kinds),
    ]
    for place in network.places:
        yield [
            place.organisation.name,
            place.organisation.slug,
            place.quartier,
            "oui" if place.organisation.is_totem else "non",
            *("oui" if kind.slug in place.services else "non" for kind in network.kinds),
        ]
