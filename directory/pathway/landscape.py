"""The funding landscape (`/financements/`) and its coverage (`/financements/couverture/`).

Reads only. Schemes and offers are loaded once with their relations (a fixed number of
queries) and laid out along the life cycle in Python: a few hundred rows at most.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from directory.models import (
    FundingInstrument,
    FundingScheme,
    LegalFamily,
    Organisation,
    ScaleUpStrategy,
    Sector,
    Stage,
    SupportOffer,
    TerritoryScope,
)
from directory.pathway.selectors import PUBLISHED, scheme_queryset, support_offer_queryset
from importers.models import Provenance


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


def funding_scheme_list(*, filters: FundingFilters) -> QuerySet[FundingScheme]:
    """Published schemes matching `filters`, by name, relations prefetched (seven queries
    when evaluated). `open_on` keeps the schemes open that day."""
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
    return _open_on(queryset, filters.open_on).distinct().order_by("name")


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
    return queryset.distinct().order_by("name")


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
    strategies: list[tuple[ScaleUpStrategy, list[FundingScheme]]]
    scale_up_schemes: list[FundingScheme]


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


def _groups(schemes: list[FundingScheme], stages: list[Stage]) -> list[InstrumentGroup]:
    by_instrument: dict = defaultdict(list)
    for scheme in schemes:
        slugs = {stage.slug for stage in scheme.stages.all()}
        row = SchemeRow(scheme, scheme_cells(scheme_stages=slugs, stages=stages))
        for instrument in scheme.instruments.all() or [None]:
            by_instrument[instrument].append(row)
    instruments = [*FundingInstrument.objects.all(), None]
    return [InstrumentGroup(i, tuple(by_instrument[i])) for i in instruments if by_instrument[i]]


def funding_landscape_get(*, filters: FundingFilters) -> FundingLandscape:
    """Every published scheme matching `filters` along the life cycle: grouped by instrument
    (a scheme with two instruments shows in both groups), each row spanning its stages; and
    the scale-up strategies with the schemes that apply. Eleven queries whatever the data."""
    stages = list(Stage.objects.all())
    schemes = list(funding_scheme_list(filters=filters))
    strategies = [(strategy, []) for strategy in ScaleUpStrategy.objects.all()]
    for strategy, applying in strategies:
        applying.extend(s for s in schemes if strategy in s.scale_up_strategies.all())
    scale_up = [s for s in schemes if "changement-d-echelle" in {t.slug for t in s.stages.all()}]
    return FundingLandscape(
        stages=stages,
        groups=_groups(schemes, stages),
        schemes=schemes,
        strategies=strategies,
        scale_up_schemes=scale_up,
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
        Provenance.objects.filter(content_type=content_type, object_id=pk)
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
    scheme = scheme_queryset().get(slug=slug)
    return scheme, _provenances(FundingScheme, scheme.pk)


def support_offer_detail_get(*, slug: str) -> tuple[SupportOffer, list[Provenance]]:
    """The published support offer `slug` with its relations and provenances.

    Raises SupportOffer.DoesNotExist."""
    offer = support_offer_queryset().get(slug=slug)
    return offer, _provenances(SupportOffer, offer.pk)


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

    @property
    def gaps(self) -> int:
        rows = [*self.by_sector, *self.by_instrument]
        return sum(cell.is_gap for _row, cells in rows for cell in cells)


def _actors_of(offer) -> list[Organisation]:
    if isinstance(offer, FundingScheme):
        return list(offer.funders.all())
    return (
        [offer.provider]
        if offer.provider and offer.provider.publication_status == PUBLISHED
        else []
    )


def _cell(offers: list, *, stage: str, keep, sector: Sector | None = None) -> CoverageCell:
    chosen = [o for o in offers if stage in {s.slug for s in o.stages.all()} and keep(o)]
    actors = {actor.pk for offer in chosen for actor in _actors_of(offer)}
    schemes = sum(isinstance(offer, FundingScheme) for offer in chosen)
    dedicated = sum(sector in offer.sectors.all() for offer in chosen) if sector else 0
    return CoverageCell(
        schemes=schemes, offers=len(chosen) - schemes, actors=len(actors), dedicated=dedicated
    )


def _serves_sector(offer, sector: Sector) -> bool:
    sectors = list(offer.sectors.all())
    return not sectors or sector in sectors


def _gone(scheme: FundingScheme, today: date) -> bool:
    """Closed for good: closed before `today` and neither recurring nor permanent."""
    closed = scheme.closes_on is not None and scheme.closes_on < today
    return closed and scheme.recurrence not in ("recurrente", "permanente")


def coverage_get(*, today: date) -> Coverage:
    """The coverage of the life cycle by published schemes and offers on `today`.

    Schemes closed for good do not cover anything; closed recurring ones do (they return).

    Stage by filière counts schemes and offers open to the filière (named, or open to all);
    stage by instrument counts schemes only. A crossing with none is a gap. `actors` lists
    each funder or provider with, per stage, how many of its schemes and offers cover it.
    About fourteen queries whatever the data.
    """
    stages = list(Stage.objects.all())
    schemes = [s for s in scheme_queryset() if not _gone(s, today)]
    offers = [*schemes, *support_offer_queryset()]
    by_sector = [
        (
            sector,
            [
                _cell(
                    offers,
                    stage=s.slug,
                    keep=lambda o, x=sector: _serves_sector(o, x),
                    sector=sector,
                )
                for s in stages
            ],
        )
        for sector in Sector.objects.all()
    ]
    by_instrument = [
        (
            instrument,
            [
                _cell(schemes, stage=s.slug, keep=lambda o, x=instrument: x in o.instruments.all())
                for s in stages
            ],
        )
        for instrument in FundingInstrument.objects.all()
    ]
    return Coverage(
        stages=stages,
        by_sector=by_sector,
        by_instrument=by_instrument,
        actors=_actor_rows(offers, stages),
    )


def _actor_rows(offers: list, stages: list[Stage]) -> list[tuple[Organisation, list[int]]]:
    counts: dict[int, list[int]] = {}
    actors: dict[int, Organisation] = {}
    index = {stage.slug: position for position, stage in enumerate(stages)}
    for offer in offers:
        for actor in _actors_of(offer):
            actors[actor.pk] = actor
            row = counts.setdefault(actor.pk, [0] * len(stages))
            for stage in offer.stages.all():
                row[index[stage.slug]] += 1
    ordered = sorted(actors.values(), key=lambda actor: actor.name.lower())
    return [(actor, counts[actor.pk]) for actor in ordered]


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
    return rows
