"""Reads of the directory app (STYLE rule 2): keyword-only functions named `<entity>_<action>`."""

import json
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connection
from django.db.models import Count, Q, QuerySet

from cartography.models import Premises
from directory.models import (
    FundingScheme,
    Organisation,
    OrganisationKind,
    PublicationStatus,
    SupportOffer,
)

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class KindCount:
    """How many published organisations carry one kind (an organisation may carry several)."""

    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class DirectorySummary:
    """The live figures of the home page; everything counted is published."""

    kinds: list[KindCount]
    organisations: int
    organisations_on_map: int
    funding_schemes: int
    support_offers: int
    premises: int


def directory_summary_get() -> DirectorySummary:
    """Count what the public can find in Cartess today, in five queries whatever the data.

    Returns every `OrganisationKind` in its taxonomy order with its number of published
    organisations (zeros included), the number of published organisations and of those with
    a point (shown on the map), and the numbers of published funding schemes, support offers
    and premises. Reads only; no side effect.
    """
    kinds = OrganisationKind.objects.annotate(
        published=Count(
            "organisations", filter=Q(organisations__publication_status=PUBLISHED), distinct=True
        )
    ).values_list("slug", "name", "published")
    organisations = Organisation.objects.filter(publication_status=PUBLISHED).aggregate(
        total=Count("pk"), on_map=Count("pk", filter=Q(location__isnull=False))
    )
    return DirectorySummary(
        kinds=[KindCount(slug=slug, name=name, count=count) for slug, name, count in kinds],
        organisations=organisations["total"],
        organisations_on_map=organisations["on_map"],
        funding_schemes=FundingScheme.objects.filter(publication_status=PUBLISHED).count(),
        support_offers=SupportOffer.objects.filter(publication_status=PUBLISHED).count(),
        premises=Premises.objects.filter(publication_status=PUBLISHED).count(),
    )


def database_postgis_version_get() -> str:
    """Return the version of the PostGIS library of the default database, e.g. "3.3.2".

    Runs `SELECT postgis_lib_version()` through GeoDjango on every call (never cached).

    Raises:
        django.db.Error: the database cannot be reached or PostGIS is missing.
    """
    return connection.ops.postgis_lib_version()


#: Beyond this many points, a Leaflet map without clustering stops being readable.
MAP_FEATURE_LIMIT = 5000


def organisation_feature_collection_get(
    *, queryset: QuerySet[Organisation], limit: int = MAP_FEATURE_LIMIT
) -> dict:
    """The organisations of `queryset` that have a point, as a GeoJSON FeatureCollection.

    Geometries are serialised by PostGIS (`ST_AsGeoJSON`, 6 decimals, about 10 cm) in one
    query; each feature carries the organisation's id and name. At most `limit` features,
    by name. Reads only.
    """
    rows = (
        queryset.filter(location__isnull=False)
        .annotate(geojson=AsGeoJSON("location", precision=6))
        .order_by("name")
        .values_list("pk", "name", "geojson")[:limit]
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            "properties": {"name": name},
            "geometry": json.loads(geojson),
        }
        for pk, name, geojson in rows
    ]
    return {"type": "FeatureCollection", "features": features}
