"""Reads of funding schemes and support offers: the published ones with their relations
(shared with the pathway), one scheme or offer with its sources, the filters' choices of
`/financements/` and its coverage (`/financements/couverture/`). The landscape itself is
`directory.selectors.funding_landscape`.

Reads only. The coverage is counted by PostgreSQL (`coverage_sql.COVERAGE`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from directory import coverage_sql
from directory.models import (
    FundingInstrument,
    FundingScheme,
    LegalFamily,
    Organisation,
    Provenance,
    PublicationStatus,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportOffer,
    TerritoryScope,
)
from directory.selectors.everything import offer_ids_search, text_query_get

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class FundingFilters:
    """What `/financements/` and `/api/v1/funding-schemes/` filter on; empty means all.

    `legal_family` and `sector` keep the schemes open to all (empty eligibility)."""

    stage: str = ""
    instrument: str = ""
    legal_family: str = ""
    sector: str = ""
    scope: str = ""
    open_on: date | None = None
    #: Words searched in the name, presentation and eligibility (see `unified_search`).
    q: str = ""


def scheme_queryset():
    """Published funding schemes with everything the pathway and the pages show."""
    return FundingScheme.objects.filter(publication_status=PUBLISHED).prefetch_related(
        "stages",
        "eligible_legal_families",
        "sectors",
        "instruments",
        "scale_up_strategies",
        Prefetch("funders", queryset=Organisation.objects.filter(publication_status=PUBLISHED)),
        Prefetch(
            "co_financeable_with",
            queryset=FundingScheme.objects.filter(publication_status=PUBLISHED).order_by("name"),
        ),
    )


def support_offer_queryset():
    """Published support offers with their stages, eligibility, kinds and provider."""
    return (
        SupportOffer.objects.filter(publication_status=PUBLISHED)
        .select_related("provider")
        .prefetch_related("stages", "eligible_legal_families", "sectors", "kinds")
    )


def _open_to(queryset: QuerySet, relation: str, slug: str) -> QuerySet:
    if not slug:
        return queryset
    named = queryset.filter(**{f"{relation}__slug": slug}).values("pk")
    return queryset.filter(Q(**{f"{relation}__isnull": True}) | Q(pk__in=named))


def _open_on(queryset: QuerySet, day: date | None) -> QuerySet:
    if day is None:
        return queryset
    return queryset.filter(Q(opens_on__isnull=True) | Q(opens_on__lte=day)).filter(
        Q(closes_on__isnull=True) | Q(closes_on__gte=day)
    )


def _matching(queryset: QuerySet, table: str, q: str) -> QuerySet:
    """`queryset` kept to the rows matching the text search `q`, best first (two queries
    now); unchanged when `q` is empty."""
    if not q:
        return queryset
    ids = offer_ids_search(table=table, query=text_query_get(q=q))
    rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), default=Value(0))
    return queryset.filter(pk__in=ids).alias(text_rank=rank).order_by("text_rank", "name")


def funding_scheme_list(*, filters: FundingFilters) -> QuerySet[FundingScheme]:
    """Published schemes matching `filters`, by name (by relevance with `q`), relations
    prefetched (seven queries when evaluated, two more with `q`). `open_on` keeps the
    schemes open that day."""
    queryset = scheme_queryset()
    if filters.stage:
        queryset = queryset.filter(
            pk__in=FundingScheme.objects.filter(stages__slug=filters.stage).values("pk")
        )
    if filters.instrument:
        queryset = queryset.filter(
            pk__in=FundingScheme.objects.filter(instruments__slug=filters.instrument).values("pk")
        )
    queryset = _open_to(queryset, "eligible_legal_families", filters.legal_family)
    queryset = _open_to(queryset, "sectors", filters.sector)
    if filters.scope:
        queryset = queryset.filter(territory_scope=filters.scope)
    queryset = _open_on(queryset, filters.open_on).distinct().order_by("name")
    return _matching(queryset, "scheme", filters.q)


def support_offer_list(*, filters: FundingFilters) -> QuerySet[SupportOffer]:
    """Published support offers matching the stage, legal family and sector of `filters`."""
    queryset = support_offer_queryset()
    if filters.stage:
        queryset = queryset.filter(
            pk__in=SupportOffer.objects.filter(stages__slug=filters.stage).values("pk")
        )
    queryset = _open_to(queryset, "eligible_legal_families", filters.legal_family)
    queryset = _open_to(queryset, "sectors", filters.sector)
    if filters.scope:
        queryset = queryset.filter(territory_scope=filters.scope)
    return _matching(queryset.distinct().order_by("name"), "offer", filters.q)


@dataclass(frozen=True)
class FilterChoices:
    instruments: list[tuple[str, str]]
    legal_families: list[tuple[str, str]]
    sectors: list[tuple[str, str]]
    stages: list[tuple[str, str]]
    scopes: list[tuple[str, str]] = field(default_factory=lambda: list(TerritoryScope.choices))


def funding_filter_choices_get() -> FilterChoices:
    """The choices of the `/financements/` filters, as (slug, name). Four queries."""
    return FilterChoices(
        instruments=list(FundingInstrument.objects.values_list("slug", "name")),
        legal_families=list(LegalFamily.objects.values_list("slug", "name")),
        sectors=list(Sector.objects.values_list("slug", "name")),
        stages=list(Stage.objects.values_list("slug", "name")),
    )


def _provenances(model, pk: int) -> list[Provenance]:
    """The provenances of one record; each gets `cited_urls`, the web pages its raw record
    cites (`source_url`, several separated by " | " in the seed)."""
    content_type = ContentType.objects.get_for_model(model)
    provenances = list(
        Provenance.objects.with_last_seen()
        .filter(content_type=content_type, object_id=pk)
        .select_related("source")
        .order_by("first_seen_at")
    )
    for provenance in provenances:
        cited = str((provenance.raw or {}).get("source_url") or "")
        provenance.cited_urls = [
            url.strip()
            for url in cited.split("|")
            if url.strip().startswith(("http://", "https://"))
        ]
    return provenances


def funding_scheme_detail_get(*, slug: str) -> tuple[FundingScheme, list[Provenance]]:
    """The published scheme `slug` with its relations and its provenances (sources).

    Raises FundingScheme.DoesNotExist."""
    # The funders' kinds tell a public body's service (schema.org on the page).
    scheme = scheme_queryset().prefetch_related("funders__kinds").get(slug=slug)
    return scheme, _provenances(FundingScheme, scheme.pk)


def support_offer_detail_get(*, slug: str) -> tuple[SupportOffer, list[Provenance]]:
    """The published support offer `slug` with its relations and provenances.

    Raises SupportOffer.DoesNotExist."""
    offer = support_offer_queryset().prefetch_related("scale_up_strategies").get(slug=slug)
    return offer, _provenances(SupportOffer, offer.pk)


#: Support offers per page of /accompagnements/.
SUPPORT_OFFER_PAGE_SIZE = 30


def support_offer_list_get(*, page: str | None, q: str = "") -> Page:
    """One page (`page`, 1-based; a bad or past-the-end value gives the nearest page) of the
    published support offers by name (matching `q` by relevance when given), with their
    provider, stages and kinds. Reads only."""
    offers = (
        SupportOffer.objects.filter(publication_status=PUBLISHED)
        .select_related("provider")
        .prefetch_related("stages", "kinds")
        .order_by("name", "pk")
    )
    offers = _matching(offers, "offer", q)
    return Paginator(offers, SUPPORT_OFFER_PAGE_SIZE).get_page(page)


# --- Coverage -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageCell:
    """How many schemes (and support offers) and distinct actors cover one crossing."""

    schemes: int
    offers: int
    actors: int
    dedicated: int = 0  # of them, those naming the filière (not "toutes filières")

    @property
    def is_gap(self) -> bool:
        return self.schemes + self.offers == 0


@dataclass(frozen=True)
class Coverage:
    """Counts per stage by filière and stage by instrument, and who serves which stage."""

    stages: list[Stage]
    by_sector: list[tuple[Sector, list[CoverageCell]]]
    by_instrument: list[tuple[FundingInstrument, list[CoverageCell]]]
    actors: list[tuple[Organisation, list[int]]]
    #: Each scale-up strategy with how many live schemes say they serve it (0: a gap).
    by_strategy: list[ScaleUpStrategy] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        rows = [*self.by_sector, *self.by_instrument]
        return sum(cell.is_gap for _row, cells in rows for cell in cells)


def _coverage_rows(*, today: date) -> list[tuple]:
    """The rows of `coverage_sql.COVERAGE` on `today`. One query."""
    with connection.cursor() as cursor:
        cursor.execute(coverage_sql.COVERAGE, {"today": today, "published": PUBLISHED})
        return cursor.fetchall()


def _strategies_covered(*, today: date) -> list[ScaleUpStrategy]:
    """Each scale-up strategy annotated with `schemes_count`: the published schemes serving
    it that are not closed for good on `today` (the rule of `coverage_sql.COVERAGE`), and
    `offers_count`: the published support offers serving it. One query."""
    closed_for_good = Q(schemes__closes_on__lt=today) & ~Q(
        schemes__recurrence__in=["recurrente", "permanente"]
    )
    live = Q(schemes__publication_status=PUBLISHED) & ~closed_for_good
    offers = Q(support_offers__publication_status=PUBLISHED)
    return list(
        ScaleUpStrategy.objects.annotate(
            schemes_count=Count("schemes", filter=live, distinct=True),
            offers_count=Count("support_offers", filter=offers, distinct=True),
        )
    )


def _cells(rows, terms, stages: list[Stage]) -> list[tuple]:
    """Each term with one CoverageCell per stage; a crossing without a row is a gap."""
    return [
        (term, [rows.get((term.pk, stage.pk), CoverageCell(0, 0, 0)) for stage in stages])
        for term in terms
    ]


def coverage_get(*, today: date) -> Coverage:
    """The coverage of the life cycle by published schemes and offers on `today`.

    Schemes closed for good do not cover anything; closed recurring ones do (they return).

    Stage by filière counts schemes and offers open to the filière (named, or open to all);
    stage by instrument counts schemes only. A crossing with none is a gap. `actors` lists
    each published funder or provider (by name) with, per stage, how many of its schemes
    and offers cover it; `by_strategy` the scale-up strategies with their schemes.
    PostgreSQL counts (`coverage_sql.COVERAGE`): six queries whatever the data.
    """
    stages = list(Stage.objects.all())
    cells: dict[str, dict] = defaultdict(dict)
    actor_counts: dict[int, dict[int, int]] = defaultdict(dict)
    for table, row_id, stage_id, schemes, offers, actors, dedicated in _coverage_rows(today=today):
        if table == "actor":
            actor_counts[row_id][stage_id] = schemes
        else:
            cells[table][(row_id, stage_id)] = CoverageCell(schemes, offers, actors, dedicated)
    organisations = sorted(
        Organisation.objects.filter(pk__in=list(actor_counts)), key=lambda actor: actor.name.lower()
    )
    return Coverage(
        stages=stages,
        by_sector=_cells(cells["sector"], Sector.objects.all(), stages),
        by_instrument=_cells(cells["instrument"], FundingInstrument.objects.all(), stages),
        actors=[
            (actor, [actor_counts[actor.pk].get(stage.pk, 0) for stage in stages])
            for actor in organisations
        ],
        by_strategy=_strategies_covered(today=today),
    )


COVERAGE_CSV_HEADER = (
    "tableau",
    "ligne",
    "etape",
    "dispositifs",
    "offres",
    "acteurs",
    "lacune",
    "dedies_a_la_filiere",
)


def coverage_csv_rows(*, coverage: Coverage) -> list[tuple]:
    """The coverage as rows of `COVERAGE_CSV_HEADER` (long format, one crossing a row)."""
    rows = []
    for table, lines in (("filiere", coverage.by_sector), ("instrument", coverage.by_instrument)):
        for term, cells in lines:
            for stage, cell in zip(coverage.stages, cells, strict=True):
                rows.append(
                    (
                        table,
                        term.slug,
                        stage.slug,
                        cell.schemes,
                        cell.offers,
                        cell.actors,
                        int(cell.is_gap),
                        cell.dedicated if table == "filiere" else "",
                    )
                )
    for actor, counts in coverage.actors:
        for stage, count in zip(coverage.stages, counts, strict=True):
            rows.append(("acteur", actor.slug, stage.slug, count, "", 1, int(count == 0), ""))
    for strategy in coverage.by_strategy:
        schemes, offers = strategy.schemes_count, strategy.offers_count
        gap = int(not schemes and not offers)
        rows.append(
            ("strategie", strategy.slug, "changement-d-echelle", schemes, offers, "", gap, "")
        )
    return rows
