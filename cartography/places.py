"""`/lieux/`: the places of the ESS (issue 17) and what they offer, for everyone.

A place is any published, open organisation that says it is one (`place_roles`: tiers-lieu,
lieu totem, lieu-ressource), is of kind tiers-lieu, or has said what it offers
(PlaceService). Reads only; who is a place is written by `directory.places`.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from cartography.models import PlaceService, ReferenceArea
from directory.models import Organisation, OrganisationKind, PlaceRole, PublicationStatus
from directory.places import service_names

#: Places per page of /lieux/.
PLACES_PER_PAGE = 20


@dataclass(frozen=True)
class PlaceFilters:
    """What /lieux/ keeps: one service (a PlaceServiceKind slug), one quartier (its code), only
    the lieux totems when `totem`, only the places with a service offered under a bail
    commercial d'utilité sociale when `social_lease`."""

    service: str = ""
    quartier: str = ""
    totem: bool = False
    social_lease: bool = False


def place_ids() -> QuerySet:
    """The ids of the organisations that are places (published or not), one query to build
    (the id of the kind tiers-lieu), to read inside another: the union of three indexed
    reads (a role, the kind tiers-lieu, an offer said), as many rows as there are places,
    where one condition of three per organisation read the whole directory (issue 20). The
    kind is named by its id, read first: PostgreSQL then knows from its statistics how few
    carry it (3,565 tiers-lieux among 1,000,000: 326 -> 47 ms for /lieux/'s count), where a
    join on the slug made it expect a seventh of the directory and read all of it."""
    kinds = OrganisationKind.objects.filter(slug=PlaceRole.THIRD_PLACE)
    third_place = kinds.values_list("pk", flat=True).first()
    return (
        Organisation.objects.filter(place_roles__overlap=list(PlaceRole.values))
        .order_by()
        .values("pk")
        .union(
            Organisation.kinds.through.objects.filter(organisationkind_id=third_place)
            .order_by()
            .values("organisation_id"),
            PlaceService.objects.order_by().values("organisation_id"),
        )
    )


def place_list(*, filters: PlaceFilters, ids: QuerySet | None = None) -> QuerySet[Organisation]:
    """The places matching `filters`, by name, each with the names of its services
    (`service_names`, in the taxonomy's order). One query per evaluation (a count and a
    page: two with a paginator), after `place_ids`'s own unless given as `ids`. A service
    matches a place that declared it (PlaceService)."""
    services = PlaceService.objects.filter(organisation=OuterRef("pk"))
    places = Organisation.objects.filter(
        pk__in=place_ids() if ids is None else ids,
        publication_status=PublicationStatus.PUBLISHED,
        closed_on__isnull=True,
    )
    if filters.totem:
        places = places.filter(place_roles__contains=[PlaceRole.TOTEM])
    if filters.social_lease:
        places = places.filter(Exists(services.filter(social_lease=True)))
    if filters.service:
        places = places.filter(Exists(services.filter(kind__slug=filters.service)))
    if filters.quartier:
        inside = ReferenceArea.objects.filter(
            kind="quartier", code=filters.quartier, geometry__intersects=OuterRef("location")
        )
        places = places.filter(Exists(inside))
    return places.annotate(service_names=service_names()).order_by("name", "pk")


def quartier_choices() -> list[tuple[str, str]]:
    """(code, name) of the quartiers, by name, for the filter of /lieux/. One query."""
    return list(
        ReferenceArea.objects.filter(kind="quartier").order_by("name").values_list("code", "name")
    )
