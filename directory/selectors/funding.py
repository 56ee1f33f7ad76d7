"""Reads of funding schemes and support offers: the published ones with their relations
(shared with the pathway), one scheme or offer with its sources, the funding landscape
(`/financements/`) and its coverage (`/financements/couverture/`).

Reads only. The landscape loads schemes with their relations (a fixed number of queries)
and lays them out along the life cycle in Python: a few hundred rows at most. The coverage
is counted by PostgreSQL (`coverage_sql.COVERAGE`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse

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
class Cell:
    """A cell of the matrix: the scheme spanning `colspan` stages, or an empty stage."""

    colspan: int
    covered: bool
    stages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeRow:
    scheme: FundingScheme
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class InstrumentGroup:
    """The schemes of one instrument (or of none: `instrument` None), one row each."""

    instrument: FundingInstrument | None
    rows: tuple[SchemeRow, ...]


@dataclass(frozen=True)
class FundingLandscape:
    stages: list[Stage]
    groups: list[InstrumentGroup]
    schemes: list[FundingScheme]
    #: Each strategy with the schemes (filtered like the page) and the published support
    #: offers serving it, by name.
    strategies: list[tuple[ScaleUpStrategy, list[FundingScheme], list[SupportOffer]]]
    scale_up_schemes: list[FundingScheme]
    #: Whether any published scheme says which strategies it serves: only then does an
    #: empty strategy mean "none known" rather than "not recorded yet".
    strategies_known: bool = False
    #: Each stage with the schemes covering it: the matrix as a list, for a phone.
    by_stage: list[tuple[Stage, list[FundingScheme]]] = field(default_factory=list)


def scheme_cells(*, scheme_stages: set[str], stages: list[Stage]) -> tuple[Cell, ...]:
    """The stages of the life cycle as cells: consecutive covered stages merge into one cell
    (the scheme spans them), each stage it does not cover stays an empty cell. Pure."""
    cells: list[Cell] = []
    for stage in stages:
        covered = stage.slug in scheme_stages
        last = cells[-1] if cells else None
        if covered and last is not None and last.covered:
            cells[-1] = Cell(last.colspan + 1, True, (*last.stages, stage.name))
        else:
            cells.append(Cell(1, covered, (stage.name,)))
    return tuple(cells)


def _groups(
    schemes: list[FundingScheme],
    stages: list[Stage],
    stages_of: dict[int, set[str]],
    instruments: list[FundingInstrument],
) -> list[InstrumentGroup]:
    """The schemes' rows by instrument (`instrument_list` set), each spanning its stages
    (`stages_of`: scheme pk -> stage slugs), in the order of `instruments`. No query."""
    by_instrument: dict = defaultdict(list)
    for scheme in schemes:
        row = SchemeRow(scheme, scheme_cells(scheme_stages=stages_of[scheme.pk], stages=stages))
        for instrument in scheme.instrument_list or [None]:
            by_instrument[instrument].append(row)
    return [
        InstrumentGroup(i, tuple(by_instrument[i]))
        for i in [*instruments, None]
        if by_instrument[i]
    ]


def _link_ids(relation: str, column: str) -> ArraySubquery:
    """The ids a scheme's many-to-many `relation` links it to, as an array in its row."""
    through = getattr(FundingScheme, relation).through
    return ArraySubquery(through.objects.filter(fundingscheme_id=OuterRef("pk")).values(column))


def _landscape_schemes(*, filters: FundingFilters) -> list[FundingScheme]:
    """The schemes of `funding_scheme_list`, with only what the landscape shows, and their
    stages, instruments and strategies as arrays of ids in their row (`stage_ids`,
    `instrument_ids`, `strategy_ids`). One query: with 300 schemes, prefetching seven
    relations into 2,100 related managers cost more than the page's SQL (issue 20)."""
    return list(
        funding_scheme_list(filters=filters)
        .prefetch_related(None)
        .only("pk", "slug", "name", "amount_max")
        .annotate(
            stage_ids=_link_ids("stages", "stage_id"),
            instrument_ids=_link_ids("instruments", "fundinginstrument_id"),
            strategy_ids=_link_ids("scale_up_strategies", "scaleupstrategy_id"),
        )
    )


def _by_stage(
    schemes: list[FundingScheme], stages: list[Stage], stages_of: dict[int, set[str]]
) -> list[tuple[Stage, list[FundingScheme]]]:
    """Each stage with the schemes covering it, by name: no query (stages prefetched)."""
    return [(stage, [s for s in schemes if stage.slug in stages_of[s.pk]]) for stage in stages]


def _offers_by_strategy() -> dict[int, list[SupportOffer]]:
    """The published support offers serving each strategy (by strategy pk), by name; a
    strategy no offer serves is absent (the dict gives []). One query."""
    links = (
        SupportOffer.scale_up_strategies.through.objects.filter(
            supportoffer__publication_status=PUBLISHED
        )
        .select_related("supportoffer")
        .order_by("supportoffer__name", "supportoffer_id")
    )
    offers: dict[int, list[SupportOffer]] = defaultdict(list)
    for link in links:
        offers[link.scaleupstrategy_id].append(link.supportoffer)
    return offers


def funding_landscape_get(*, filters: FundingFilters) -> FundingLandscape:
    """Every published scheme matching `filters` along the life cycle: grouped by instrument
    (a scheme with two instruments shows in both groups), each row spanning its stages; and
    the scale-up strategies with the schemes that apply, whether the strategies of the
    schemes are recorded at all, and each stage with its schemes; the published support
    offers serving each strategy. Six queries whatever the data (two more with `q`)."""
    stages = list(Stage.objects.all())
    instruments = list(FundingInstrument.objects.all())
    all_strategies = list(ScaleUpStrategy.objects.all())
    schemes = _landscape_schemes(filters=filters)
    offers = _offers_by_strategy()
    # Each scheme's stages, instruments and strategies as the terms read once above, in
    # their taxonomy's order (`instrument_list`, `strategy_list`; the page lists a scheme
    # under every stage it covers, with its instruments and strategies).
    stages_of: dict[int, set[str]] = {}
    # Each scheme's page (`page_url`), from one reverse(): a slug needs no quoting in a path,
    # and the page links a scheme three or four times.
    before, after = reverse("directory:funding-scheme", kwargs={"slug": "slug"}).rsplit("slug", 1)
    for scheme in schemes:
        scheme.page_url = f"{before}{scheme.slug}{after}"
        stages_of[scheme.pk] = {t.slug for t in stages if t.pk in scheme.stage_ids}
        scheme.instrument_list = [t for t in instruments if t.pk in scheme.instrument_ids]
        scheme.strategy_list = [t for t in all_strategies if t.pk in scheme.strategy_ids]
    strategies = [
        (strategy, [s for s in schemes if strategy in s.strategy_list], offers.get(strategy.pk, []))
        for strategy in all_strategies
    ]
    scale_up = [s for s in schemes if "changement-d-echelle" in stages_of[s.pk]]
    return FundingLandscape(
        stages=stages,
        groups=_groups(schemes, stages, stages_of, instruments),
        schemes=schemes,
        strategies=strategies,
        scale_up_schemes=scale_up,
        strategies_known=bool(offers)
        or FundingScheme.objects.filter(
            publication_status=PUBLISHED, scale_up_strategies__isnull=False
        ).exists(),
        by_stage=_by_stage(schemes, stages, stages_of),
    )


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
