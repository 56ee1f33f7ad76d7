"""The places of the unified search (`/recherche/`, issue 17): organisations that are places
(tiers-lieu, lieu totem, lieu-ressource, or offering services), matched on their listing
and on what they offer ("salle de réunion", "cuisine", "domiciliation"), with the services
facet and the `/lieux/` address that shows them. Reads only; the SQL is in
directory/search_sql.py (cartography's place tables read as tables, never imported).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse

from directory import search_sql
from directory.models import Organisation
from directory.places import service_names


@dataclass(frozen=True)
class PlaceServiceCount:
    """One kind of service among the places found: how many offer it, and whether the
    query names it."""

    slug: str
    name: str
    count: int
    named: bool


def place_ids_among(*, query, candidates, quartier: str = "", service: str = "") -> list[int]:
    """Ids of the places matching `query` (a `TextQuery`) among the organisations'
    `candidates` (`organisation_text_candidates` of the same query and quartier), with the
    places matching only through their services (up to the candidates' `last_id` when they
    stopped at the cap), best first, at most `DIRECTORY_COUNT_CAP`; only those inside
    `quartier` and offering `service` when given. One query (see
    `search_sql.place_candidate_matches`)."""
    statement = search_sql.place_candidate_matches(
        with_quartier=bool(quartier), with_service=bool(service)
    )
    params = {
        **query.params(),
        # The candidates that are places, in the order of the primary key.
        "candidate_ids": candidates.place_ids,
        "last_id": candidates.last_id,
        "quartier": quartier,
        "service": service,
    }
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def place_service_counts(*, query, place_ids: list[int]) -> list[PlaceServiceCount]:
    """Every kind of service, in the taxonomy's order, with how many of `place_ids` offer
    it and whether `query` names it. One query."""
    params = {"place_ids": place_ids, "strict_tsquery": query.strict_tsquery}
    with connection.cursor() as cursor:
        cursor.execute(search_sql.PLACE_SERVICE_COUNTS, params)
        return [PlaceServiceCount(*row) for row in cursor.fetchall()]


def places_in_order(ids: list[int]) -> list[Organisation]:
    """The places `ids`, in that order, each with `service_names` (its services' names, in
    the taxonomy's order). One query."""
    if not ids:
        return []
    # Only what the page shows of a place (issue 20: not the long texts, point or vector).
    queryset = Organisation.objects.only("name", "slug", "city", "place_roles").annotate(
        service_names=service_names()
    )
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def places_list_url(*, service: str = "", quartier: str = "") -> str:
    """The address of `/lieux/` filtered by `service` (a slug) and `quartier` (a code or a
    slug, given to `/lieux/` as its code; a quartier unknown there is left out). One query
    with a quartier, none otherwise."""
    kept = {"service": service}
    if quartier:
        with connection.cursor() as cursor:
            cursor.execute(search_sql.QUARTIER_CODE, {"quartier": quartier})
            row = cursor.fetchone()
        kept["quartier"] = row[0] if row else ""
    query = urlencode({key: value for key, value in kept.items() if value})
    return reverse("cartography:places") + (f"?{query}" if query else "")
