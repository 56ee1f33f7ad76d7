"""Reads of one organisation and of the home page's figures."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone

from directory import sql
from directory.freshness.states import Freshness, freshness_of, organisation_freshness_annotate
from directory.models import (
    FundingScheme,
    Organisation,
    PublicationStatus,
    SupportOffer,
)
from directory.selectors.credit import FactSource, TypedBy, organisation_credits_get
from directory.selectors.organisation_qpv import OrganisationQpv, organisation_qpv_get
from directory.selectors.search import organisation_terms_annotate, organisation_terms_attach
from directory.summary import SUMMARY_FIGURES, SUMMARY_KINDS

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class KindCount:
    """How many published organisations carry one kind (an organisation may carry several)."""

    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class DirectorySummary:
    """The figures of the home page; everything counted is published."""

    kinds: list[KindCount]
    organisations: int
    organisations_on_map: int
    funding_schemes: int
    support_offers: int
    #: When a figure last changed (or was recounted); None before any count.
    counted_at: datetime | None = None


def directory_summary_get() -> DirectorySummary:
    """Read what the public can find in the directory, as PostgreSQL keeps it
    (`directory.summary`: every committed change is already in the figures). The home page
    adds the published premises: cartography's `premises_published_count`.

    Returns every `OrganisationKind` in its taxonomy order with its number of published
    organisations (zeros included), the number of published organisations still open and
    of those with a point (shown on the map), the numbers of published funding schemes and
    support offers, and when a figure last changed. Queries: two, on a handful of rows.
    """
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_FIGURES)
        figures = {figure: (value, at) for figure, value, at in cursor.fetchall()}
        cursor.execute(SUMMARY_KINDS)
        kinds = cursor.fetchall()
    stamps = [at for _value, at in figures.values()]
    return DirectorySummary(
        kinds=[KindCount(slug=slug, name=name, count=count) for slug, name, count in kinds],
        organisations=figures.get("organisations", (0, None))[0],
        organisations_on_map=figures.get("on_map", (0, None))[0],
        funding_schemes=figures.get("funding_schemes", (0, None))[0],
        support_offers=figures.get("support_offers", (0, None))[0],
        counted_at=max(stamps) if stamps else None,
    )


def database_postgis_version_get() -> str:
    """Return the version of the PostGIS library of the default database, e.g. "3.3.2".

    Runs `SELECT postgis_lib_version()` through GeoDjango on every call (never cached), on
    the request's connection: GeoDjango would otherwise open one for it and close it after,
    so a probe that is a worker's first request paid a new session each time (10 ms, the
    PostGIS library loaded again, against 1 ms for a view without a query).

    Raises:
        django.db.Error: the database cannot be reached or PostGIS is missing.
    """
    connection.ensure_connection()
    return connection.ops.postgis_lib_version()


@dataclass(frozen=True)
class OrganisationDetail:
    """Everything the detail page shows about one published organisation."""

    organisation: Organisation
    kinds: list
    sectors: list
    stages: list
    funding_schemes: list
    support_offers: list
    networks: list
    members: list
    sources: list[FactSource]
    #: Field name -> who typed its value and when, for the values no source gave
    #: (directory.selectors.credit decides both, for the page, the API and the export).
    typed_by: dict[str, TypedBy] = field(default_factory=dict)
    #: "à jour", "à actualiser" or "obsolète", with the date (directory.freshness).
    freshness: Freshness | None = None
    #: The QPV its source places it in (directory.selectors.organisation_qpv), or None.
    qpv: OrganisationQpv | None = None

    @property
    def fact_sources(self) -> dict[str, str]:
        """Field name -> names of the sources whose last import gave it the value it holds.

        A field missing from the mapping was entered or edited in Cartess.
        """
        names: dict[str, list[str]] = {}
        for source in self.sources:
            for field_name in source.fields:
                names.setdefault(field_name, []).append(source.name)
        return {field_name: ", ".join(values) for field_name, values in names.items()}


def _detail_prefetches() -> dict[str, Prefetch]:
    """The relations the organisation page lists, by name (those of `sql.DETAIL_LINKS`)."""
    published = Q(publication_status=PUBLISHED)
    # The page links them by name: a network of hundreds of members is read light.
    linked = Organisation.objects.only("name", "slug").filter(published)
    return {
        "funding_schemes": Prefetch(
            "funding_schemes",
            queryset=FundingScheme.objects.filter(published).prefetch_related(
                "stages", "instruments"
            ),
        ),
        "support_offers": Prefetch(
            "support_offers",
            queryset=SupportOffer.objects.filter(published).prefetch_related("stages", "kinds"),
        ),
        "networks": Prefetch("networks", queryset=linked),
        "members": Prefetch("members", queryset=linked),
    }


def organisation_detail_get(*, slug: str) -> OrganisationDetail:
    """The published organisation `slug` with every related fact, in a fixed number of queries.

    Funding schemes it funds and support offers it provides are the published ones, with
    their stages; `stages` is their union, in life-cycle order. `networks` are the networks
    it belongs to, `members` its members (published only). `sources` come from its
    provenances, credited field by field (`organisation_credits_get`). Reads only.

    Queries: the organisation with its freshness, kinds and sectors (`kind_list`,
    `sector_list`) and which relations it has (`sql.DETAIL_LINKS`); each relation it has
    (with their stages, instruments, kinds); its sources; and the history only when a
    person ever saved it. Two for an organisation with no link and no history.

    Raises:
        Organisation.DoesNotExist: no published organisation has this slug.
    """
    annotated = organisation_terms_annotate(
        organisation_freshness_annotate(Organisation.objects.all(), today=timezone.localdate())
    )
    organisation = (
        annotated.select_related("legal_family")
        .annotate(
            linked_relations=RawSQL(  # noqa: S611 - a fixed fragment of directory.sql
                sql.DETAIL_LINKS.format(id=sql.ORM_ORGANISATION_ID), ()
            )
        )
        .get(slug=slug, publication_status=PUBLISHED)
    )
    organisation_terms_attach(organisation)
    prefetches = _detail_prefetches()
    linked = organisation.linked_relations
    prefetch_related_objects([organisation], *(prefetches[name] for name in linked))
    related = {
        name: list(getattr(organisation, name).all()) if name in linked else []
        for name in prefetches
    }
    offers = [*related["funding_schemes"], *related["support_offers"]]
    stages = {stage.pk: stage for offer in offers for stage in offer.stages.all()}
    credit = organisation_credits_get(organisations=[organisation])[organisation.pk]
    return OrganisationDetail(
        organisation=organisation,
        freshness=freshness_of(organisation),
        kinds=organisation.kind_list,
        sectors=organisation.sector_list,
        stages=sorted(stages.values(), key=lambda stage: (stage.position, stage.name)),
        sources=credit.sources,
        typed_by=credit.typed_by,
        qpv=organisation_qpv_get(organisation=organisation, credit=credit),
        **related,
    )


#: A number longer than this is no organisation's id (and would overflow the column).
_MAX_ID_DIGITS = 12


def organisation_api_get(*, key: str) -> Organisation:
    """The published organisation whose slug, or else whose number (id), is `key`, with its
    legal family, kinds and sectors (`kind_list`, `sector_list`) and whether a person ever
    saved it (`has_typed_history`), in one query. A closed one is found too: its page
    stays. Reads only.

    Raises:
        Organisation.DoesNotExist: no published organisation has this slug or number.
    """
    published = organisation_terms_annotate(
        Organisation.objects.filter(publication_status=PUBLISHED).select_related("legal_family")
    )
    lookup = Q(slug=key)
    if key.isdigit() and len(key) <= _MAX_ID_DIGITS:
        lookup |= Q(pk=int(key))
    # A slug made of digits wins over the same number as an id.
    found = sorted(published.filter(lookup), key=lambda o: o.slug != key)
    if not found:
        raise Organisation.DoesNotExist(key)
    organisation_terms_attach(found[0])
    return found[0]
