"""The bail commercial d'utilité sociale (issue 17): how many premises and place offers
accept it. Reads only; the flags are `Premises.social_lease` and `PlaceService.social_lease`."""

from dataclasses import dataclass

from django.db.models import Count, Q

from cartography.models import PlaceService, Premises
from directory.models import PublicationStatus


@dataclass(frozen=True)
class SocialLeaseCounts:
    """Sites (all, and published) and services of places (and the places offering them)
    that accept a bail commercial d'utilité sociale."""

    sites: int
    sites_published: int
    services: int
    places: int


def social_lease_counts_get() -> SocialLeaseCounts:
    """How many sites and place offers accept the bail commercial d'utilité sociale: every
    site (staff count them all), the published ones, the services of published, open
    places and those places. Two queries."""
    sites = Premises.objects.filter(social_lease=True).aggregate(
        sites=Count("pk"),
        sites_published=Count("pk", filter=Q(publication_status=PublicationStatus.PUBLISHED)),
    )
    services = PlaceService.objects.filter(
        social_lease=True,
        organisation__publication_status=PublicationStatus.PUBLISHED,
        organisation__closed_on__isnull=True,
    ).aggregate(services=Count("pk"), places=Count("organisation", distinct=True))
    return SocialLeaseCounts(**sites, **services)


def social_lease_report_get() -> dict:
    """For the city services: the sites that accept the bail (any status, by name) and the
    services of places that do (by place), with the counts. Four queries."""
    sites = Premises.objects.filter(social_lease=True).only(
        "name", "slug", "status", "publication_status"
    )
    services = (
        PlaceService.objects.filter(social_lease=True)
        .select_related("kind", "organisation")
        .only("kind__name", "organisation__name", "organisation__slug")
        .order_by("organisation__name", "kind__position")
    )
    return {"counts": social_lease_counts_get(), "sites": list(sites), "services": list(services)}
