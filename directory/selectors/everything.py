"""The unified search (`/recherche/`): actors, funding schemes and support offers for one
query, grouped, with counts and facets; and the text search of schemes and offers that
their lists and the API share.

Matching is the directory's (directory/selectors/search.py): French full text without
accents, each word a prefix, ESS synonyms (directory/synonyms.py), then typo widening and
names close to the query, always ranked below exact and synonym matches. Reads only.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from directory import search_sql, sql
from directory.areas import area_kinds_loaded_get, quartier_choices_get
from directory.filters import OrganisationFilters
from directory.models import FundingScheme, PublicationStatus, Stage, SupportOffer
from directory.search import fold, query_words
from directory.selectors.search import DIRECTORY_COUNT_CAP, organisation_search

#: Results shown per group on `/recherche/`; a group chosen alone shows more.
SEARCH_GROUP_SIZE = 5
SEARCH_KIND_SIZE = 20
#: The kinds of result, as the `type` facet names them.
KIND_ACTORS, KIND_SCHEMES, KIND_OFFERS = "acteurs", "financements", "accompagnements"
SEARCH_KINDS = (KIND_ACTORS, KIND_SCHEMES, KIND_OFFERS)


@dataclass(frozen=True)
class TextQuery:
    """A search as the SQL binds it: the folded text, the widened and strict full-text
    queries (None when no word is usable, e.g. "l'" or "!!!")."""

    q_folded: str
    tsquery: str | None
    strict_tsquery: str | None

    def params(self) -> dict:
        return {
            "q_folded": self.q_folded,
            "tsquery": self.tsquery,
            "strict_tsquery": self.strict_tsquery,
            "published": PublicationStatus.PUBLISHED,
            "count_cap": DIRECTORY_COUNT_CAP,
        }


def text_query_get(*, q: str) -> TextQuery:
    """The full-text queries of `q` (exact words and synonyms; typo widening). One query."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SEARCH_TSQUERY, {"q_words": query_words(q)})
        tsquery, strict = cursor.fetchone()
    return TextQuery(q_folded=fold(q), tsquery=tsquery, strict_tsquery=strict)


def offer_ids_search(*, table: str, query: TextQuery, stage: str = "") -> list[int]:
    """Ids of the published schemes (`table="scheme"`) or support offers (`"offer"`)
    matching `query`, best first, at most `DIRECTORY_COUNT_CAP`; only those covering
    `stage` (a slug) when given. One query."""
    statement = search_sql.offer_text_matches(table=table, with_stage=bool(stage))
    with connection.cursor() as cursor:
        cursor.execute(statement, {**query.params(), "stage": stage})
        return [row[0] for row in cursor.fetchall()]


def in_order(queryset, ids: list[int]) -> list[Model]:
    """The rows of `queryset` whose ids are `ids`, in that order. One query (plus the
    queryset's prefetches)."""
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class SearchGroup:
    """One kind of result: the first `items`, best first, and how many match in all
    (`total`, up to `DIRECTORY_COUNT_CAP`: `is_capped` then says "more than")."""

    kind: str
    items: list
    total: int

    @property
    def is_capped(self) -> bool:
        return self.total >= DIRECTORY_COUNT_CAP


@dataclass(frozen=True)
class UnifiedSearch:
    """What `/recherche/` shows: the groups of the kinds asked for (all when `kind` is
    empty), the number of matches of every kind (the `type` facet) and of schemes and
    offers per stage (the `stage` facet: (slug, name, count))."""

    groups: list[SearchGroup]
    kind_counts: dict[str, int]
    stage_counts: list[tuple[str, str, int]]

    @property
    def total(self) -> int:
        return sum(self.kind_counts.values())


def unified_search(*, q: str, kind: str = "", stage: str = "", quartier: str = "") -> UnifiedSearch:
    """Actors, funding schemes and support offers matching `q`, grouped, best first.

    `stage` keeps the schemes and offers covering it and the actors serving it (through
    their offers and schemes); `quartier` (a slug) applies to the actors only. Each group
    is counted whatever `kind` asks to show. At most fifteen queries whatever the data.
    """
    size = SEARCH_KIND_SIZE if kind else SEARCH_GROUP_SIZE
    actors = organisation_search(
        filters=OrganisationFilters(q=q, stages=(stage,) if stage else (), quartier=quartier),
        page_size=size,
    )
    query = text_query_get(q=q)
    scheme_ids = offer_ids_search(table="scheme", query=query)
    offer_ids = offer_ids_search(table="offer", query=query)
    stage_counts = _stage_counts(scheme_ids=scheme_ids, offer_ids=offer_ids)
    if stage:
        scheme_ids = offer_ids_search(table="scheme", query=query, stage=stage)
        offer_ids = offer_ids_search(table="offer", query=query, stage=stage)
    shown = {name for name in SEARCH_KINDS if kind in ("", name)}
    groups = [
        SearchGroup(kind=KIND_ACTORS, items=actors.organisations, total=actors.total),
        SearchGroup(
            kind=KIND_SCHEMES,
            items=_schemes(scheme_ids[:size]) if KIND_SCHEMES in shown else [],
            total=len(scheme_ids),
        ),
        SearchGroup(
            kind=KIND_OFFERS,
            items=_offers(offer_ids[:size]) if KIND_OFFERS in shown else [],
            total=len(offer_ids),
        ),
    ]
    return UnifiedSearch(
        groups=[group for group in groups if group.kind in shown],
        kind_counts={group.kind: group.total for group in groups},
        stage_counts=stage_counts,
    )


def _schemes(ids: list[int]) -> list[FundingScheme]:
    return in_order(FundingScheme.objects.prefetch_related("stages"), ids) if ids else []


def _offers(ids: list[int]) -> list[SupportOffer]:
    queryset = SupportOffer.objects.select_related("provider").prefetch_related("stages")
    return in_order(queryset, ids) if ids else []


def _stage_counts(*, scheme_ids: list[int], offer_ids: list[int]) -> list[tuple[str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(search_sql.STAGE_COUNTS, {"scheme_ids": scheme_ids, "offer_ids": offer_ids})
        return [tuple(row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class UnifiedSearchChoices:
    """The facets' choices as (slug, name): stages, and quartiers (only when loaded)."""

    stages: list[tuple[str, str]]
    quartiers: list[tuple[str, str]]
    quartiers_loaded: bool


def unified_search_choices_get() -> UnifiedSearchChoices:
    """The choices of `/recherche/`'s facets. Three queries."""
    return UnifiedSearchChoices(
        stages=list(Stage.objects.values_list("slug", "name")),
        quartiers=quartier_choices_get(),
        quartiers_loaded="quartier" in area_kinds_loaded_get(),
    )
