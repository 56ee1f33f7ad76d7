"""The network of places (issue 17): the lieux totems' "ambition commune" side by side, what
each place offers, and the gaps, the services no place of a quartier offers. Reads only.

A place offers a service when it declared it (PlaceService). Quartiers are the loaded
reference areas of kind quartier (`directory.areas.area_kinds_loaded_get` says when that
layer is missing).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from cartography.models import AreaKind, PlaceService, PlaceServiceKind, ReferenceArea
from cartography.places import PlaceFilters, place_ids, place_list
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


def _with_services_and_quartier(places: QuerySet) -> QuerySet:
    """`places` with the slugs of their services and the name of their quartier (the first
    by name holding their point), read in the same query."""
    slugs = PlaceService.objects.filter(organisation=OuterRef("pk")).values("kind__slug")
    quartier = ReferenceArea.objects.filter(
        kind=AreaKind.QUARTIER, geometry__intersects=OuterRef("location")
    ).order_by("name")
    return places.annotate(
        service_slugs=ArraySubquery(slugs), quartier_name=Subquery(quartier.values("name")[:1])
    )


def _places(*, totems_only: bool, ids: QuerySet) -> list[NetworkPlace]:
    rows = _with_services_and_quartier(place_list(filters=PlaceFilters(totem=totems_only), ids=ids))
    return [
        NetworkPlace(
            organisation=row,
            services=frozenset(row.service_slugs),
            quartier=row.quartier_name or "",
        )
        for row in rows
    ]


def _gaps(kinds: list[PlaceServiceKind], *, ids: QuerySet) -> list[QuartierGap]:
    """Per quartier, by name: its places (those of /lieux/ whose point it holds), and the
    services none of them offers. Only the places inside a quartier are read (the map's
    spatial index finds them): the network once read every place of the directory, 10 s at
    1,000,000 organisations (issue 20)."""
    inside_one = ReferenceArea.objects.filter(
        kind=AreaKind.QUARTIER, geometry__intersects=OuterRef("location")
    )
    placed = _with_services_and_quartier(
        place_list(filters=PlaceFilters(), ids=ids).filter(Exists(inside_one))
    ).values_list("quartier_name", "service_slugs")
    services_by_quartier: dict[str, list[frozenset[str]]] = {}
    for name, slugs in placed:
        services_by_quartier.setdefault(name, []).append(frozenset(slugs))
    names = ReferenceArea.objects.filter(kind=AreaKind.QUARTIER).order_by("name")
    gaps = []
    for name in names.values_list("name", flat=True).distinct():
        inside = services_by_quartier.get(name, [])
        offered = frozenset().union(*inside)
        gaps.append(
            QuartierGap(
                name=name,
                places=len(inside),
                missing=[kind for kind in kinds if kind.slug not in offered],
                declared=sum(1 for services in inside if services),
            )
        )
    return gaps


def place_network_get(*, totems_only: bool = True) -> PlaceNetwork:
    """The places (the lieux totems when `totems_only`, else every place of /lieux/) with
    their services, and per quartier the services no place of /lieux/ in it offers (empty
    and `quartiers_loaded` False when the quartiers are not loaded), with how many places
    have no point (counted in no quartier). Six queries, each reading the places it
    shows or counts (issue 20)."""
    kinds = list(PlaceServiceKind.objects.all())
    loaded = AreaKind.QUARTIER in area_kinds_loaded_get()
    ids = place_ids()
    unplaced = place_list(filters=PlaceFilters(), ids=ids).filter(location__isnull=True)
    return PlaceNetwork(
        kinds=kinds,
        places=_places(totems_only=totems_only, ids=ids),
        quartiers_loaded=loaded,
        gaps=_gaps(kinds, ids=ids) if loaded else [],
        unplaced=unplaced.count(),
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
