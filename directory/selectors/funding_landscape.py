"""The funding landscape (`/financements/`): every published scheme along the life cycle,
by instrument and by stage, and the scale-up strategies with the schemes and support offers
serving them. Reads only: a fixed number of queries, the layout in Python (a few hundred
schemes at most).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import (
    FundingInstrument,
    FundingScheme,
    PublicationStatus,
    ScaleUpStrategy,
    Stage,
    SupportOffer,
)
from directory.selectors.funding import FundingFilters, funding_scheme_list

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass(frozen=True)
class Cell:
    """A cell of the matrix: the scheme spanning `colspan` stages, or an empty stage."""

    colspan: int
    covered: bool
    stages: tuple[str, ...] = ()

    @cached_property
    def label(self) -> str:
        """What a covered cell says, in the active language: "Couvre : Amorçage,
        Consolidation / développement", the stages named as the matrix's headings name them
        (their translations: in English they said "Covers:" then the French names)."""
        return _("Couvre : %(stages)s") % {"stages": ", ".join(map(_, self.stages))}


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
    (`stages_of`: scheme pk -> stage slugs), in the order of `instruments`. No query. Rows
    covering the same stages share their cells, so each label is written once per page (300
    schemes cover a handful of stage combinations)."""
    by_instrument: dict = defaultdict(list)
    cells_of: dict[frozenset[str], tuple[Cell, ...]] = {}
    for scheme in schemes:
        covered = frozenset(stages_of[scheme.pk])
        if covered not in cells_of:
            cells_of[covered] = scheme_cells(scheme_stages=covered, stages=stages)
        row = SchemeRow(scheme, cells_of[covered])
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
    """Each stage with the schemes covering it (`stages_of`), by name. No query."""
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
    # their taxonomy's order (`instrument_list`, `strategy_list`), and its page (`page_url`)
    # from one reverse(): a slug needs no quoting in a path, and the page lists a scheme
    # three or four times.
    stages_of: dict[int, set[str]] = {}
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
