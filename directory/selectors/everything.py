"""The unified search (`/recherche/`): actors, funding schemes, support offers and places
for one query, grouped, with counts and facets; and the text search of schemes and offers that
their lists and the API share.

Matching is the directory's (directory/selectors/search.py): French full text without
accents, each word a prefix, ESS synonyms (directory/synonyms.py), then typo widening and
names close to the query, always ranked below exact and synonym matches. Reads only.
"""

from dataclasses import dataclass, field, replace

from django.db import connection

from directory import search_sql, sql
from directory.filters import OrganisationFilters
from directory.models import PlaceRole, PublicationStatus
from directory.search import fold, query_words
from directory.selectors.place_search import (
    PlaceServiceCount,
    place_ids_among,
    place_service_counts,
    places_in_order,
    places_list_url,
)
from directory.selectors.search import (
    DIRECTORY_COUNT_CAP,
    OrganisationSearchPage,
    Term,
    organisation_card_search,
    organisation_cards,
    organisation_filter_choices_get,
)

#: Results shown per group on `/recherche/`; a group chosen alone shows more.
SEARCH_GROUP_SIZE = 5
SEARCH_KIND_SIZE = 20
#: The kinds of result, as the `type` facet names them.
KIND_ACTORS, KIND_SCHEMES, KIND_OFFERS = "acteurs", "financements", "accompagnements"
KIND_PLACES = "lieux"
SEARCH_KINDS = (KIND_ACTORS, KIND_SCHEMES, KIND_OFFERS, KIND_PLACES)


@dataclass(frozen=True)
class TextQuery:
    """A search as the SQL binds it: the folded text, the widened and strict full-text
    queries (None when no word is usable, e.g. "l'" or "!!!"), and whether the query is
    common enough for its candidates to be taken by id (`sql.SEARCH_TSQUERY`)."""

    q_folded: str
    tsquery: str | None
    strict_tsquery: str | None
    common: bool = True

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
        cursor.execute(
            sql.SEARCH_TSQUERY, {"q_words": query_words(q), "count_cap": DIRECTORY_COUNT_CAP}
        )
        tsquery, strict, common = cursor.fetchone()
    return TextQuery(q_folded=fold(q), tsquery=tsquery, strict_tsquery=strict, common=common)


@dataclass(frozen=True)
class TextCandidates:
    """Every candidate of a text search in relevance order, as rows (id, distance); the
    capped number of matches; when the full-text candidates stopped at the cap, the highest
    id among them (`last_id`; None otherwise); and the ids of the
    candidates that are places (`place_ids`, in id order)."""

    rows: list
    total: int
    last_id: int | None
    place_ids: list[int] = field(default_factory=list)


def organisation_text_candidates(
    *, filters: OrganisationFilters, tsqueries: tuple[str | None, str | None, bool]
) -> TextCandidates:
    """The candidates of the text search `filters` (with `q`) that `organisation_card_search`
    pages through: at most `DIRECTORY_COUNT_CAP` full-text matches (`sql.organisation_text_page`
    with `by_id` for a common query), then
    names close to the query. `tsqueries` as `organisation_card_search`'s. One query; for
    the unified search, whose places are looked for among the same candidates: each says,
    while its row is read, whether it is a place (issue 20: reading the thousand candidates
    a second time for that cost 2 to 4 ms at 1,000,000 organisations)."""
    where, params = sql.organisation_filter(replace(filters, q=""))
    params.update(q_folded=fold(filters.q), count_cap=DIRECTORY_COUNT_CAP, offset=0)
    params.update(limit=2 * DIRECTORY_COUNT_CAP, tsquery=tsqueries[0], strict_tsquery=tsqueries[1])
    params.update(place_roles=list(PlaceRole.values))
    statement = sql.organisation_text_page(
        where=where, order="relevance", with_distance=False, with_place=True, by_id=tsqueries[2]
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    full_text = [row[0] for row in rows if row[3] < 3]  # tier 3: a name only close
    capped = len(full_text) >= DIRECTORY_COUNT_CAP
    return TextCandidates(
        rows=[row[:2] for row in rows],
        total=rows[0][2] if rows else 0,
        last_id=max(full_text) if capped else None,
        place_ids=sorted(row[0] for row in rows if row[4]),
    )


def offer_ids_search(*, table: str, query: TextQuery, stage: str = "") -> list[int]:
    """Ids of the published schemes (`table="scheme"`) or support offers (`"offer"`)
    matching `query`, best first, at most `DIRECTORY_COUNT_CAP`; only those covering
    `stage` (a slug) when given. One query."""
    statement = search_sql.offer_text_matches(table=table, with_stage=bool(stage))
    with connection.cursor() as cursor:
        cursor.execute(statement, {**query.params(), "stage": stage})
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class SearchGroup:
    """One kind of result: the first `items`, best first, and how many match in all
    (`total`, up to `DIRECTORY_COUNT_CAP`: `is_capped` then says "more than"). `at_least`:
    `total` counts only among bounded candidates (the places, when the organisations'
    candidates stopped at the cap), so more may match."""

    kind: str
    items: list
    total: int
    at_least: bool = False

    @property
    def is_capped(self) -> bool:
        return self.total >= DIRECTORY_COUNT_CAP


@dataclass(frozen=True)
class UnifiedSearch:
    """What `/recherche/` shows: the groups of the kinds asked for (all when `kind` is
    empty), the number of matches of every kind (the `type` facet), of schemes and offers
    per stage (the `stage` facet: (slug, name, count)), of places per service they offer
    (the `service` facet), and the `/lieux/` address showing the places (`places_url`:
    filtered by the service chosen, or the one the query names, and the quartier)."""

    groups: list[SearchGroup]
    kind_counts: dict[str, int]
    stage_counts: list[tuple[str, str, int]]
    service_counts: list[PlaceServiceCount]
    places_url: str

    @property
    def total(self) -> int:
        return sum(self.kind_counts.values())


def unified_search(
    *, q: str, kind: str = "", stage: str = "", quartier: str = "", service: str = ""
) -> UnifiedSearch:
    """Actors, funding schemes, support offers and places matching `q`, grouped, best first.

    `stage` keeps the schemes and offers covering it and the actors serving it (through
    their offers and schemes); places have no stage: a project needs premises at any.
    `quartier` (a slug or code) applies to the actors and places; `service` (a slug of a
    place's service) to the places only. Each group is counted whatever `kind` asks to
    show. At most fourteen queries whatever the data (the full-text queries computed once).

    The organisations are searched once (`organisation_text_candidates`, the directory's
    candidates): the actors are their first page, the places are looked for among them
    (issue 20: a second walk through the organisations for the places cost 110 to 200 ms at
    1,000,000). With a `stage`, the actors are searched again with it (places have none).
    """
    size = SEARCH_KIND_SIZE if kind else SEARCH_GROUP_SIZE
    query = text_query_get(q=q)
    tsqueries = (query.tsquery, query.strict_tsquery, query.common)
    filters = OrganisationFilters(q=q, quartier=quartier)
    candidates = organisation_text_candidates(filters=filters, tsqueries=tsqueries)
    actors = _actors(
        filters=filters, candidates=candidates, stage=stage, size=size, tsqueries=tsqueries
    )
    scheme_ids, offer_ids, stage_counts = _offers_with_stage_counts(query=query)
    if stage:
        scheme_ids = offer_ids_search(table="scheme", query=query, stage=stage)
        offer_ids = offer_ids_search(table="offer", query=query, stage=stage)
    shown = {name for name in SEARCH_KINDS if kind in ("", name)}
    places = _places(query=query, candidates=candidates, quartier=quartier, service=service)
    schemes, offers = _offer_items(
        scheme_ids=scheme_ids[:size] if KIND_SCHEMES in shown else [],
        offer_ids=offer_ids[:size] if KIND_OFFERS in shown else [],
    )
    groups = [
        SearchGroup(kind=KIND_ACTORS, items=actors.organisations, total=actors.total),
        SearchGroup(
            kind=KIND_SCHEMES,
            items=schemes,
            total=len(scheme_ids),
        ),
        SearchGroup(
            kind=KIND_OFFERS,
            items=offers,
            total=len(offer_ids),
        ),
        SearchGroup(
            kind=KIND_PLACES,
            items=places_in_order(places.ids[:size]) if KIND_PLACES in shown else [],
            total=len(places.ids),
            at_least=candidates.last_id is not None,
        ),
    ]
    return UnifiedSearch(
        groups=[group for group in groups if group.kind in shown],
        kind_counts={group.kind: group.total for group in groups},
        stage_counts=stage_counts,
        service_counts=places.service_counts,
        places_url=places.url,
    )


def _actors(
    *,
    filters: OrganisationFilters,
    candidates: TextCandidates,
    stage: str,
    size: int,
    tsqueries: tuple[str | None, str | None, bool],
) -> OrganisationSearchPage:
    """The actors' first page: the first `size` candidates, or, with a `stage` (which the
    places do not take), the directory's search with it. One to three queries."""
    if stage:
        return organisation_card_search(
            filters=replace(filters, stages=(stage,)), page_size=size, tsqueries=tsqueries
        )
    return OrganisationSearchPage(
        organisations=organisation_cards(rows=candidates.rows[:size]),
        total=candidates.total,
        page=1,
        page_size=size,
        sort="relevance",
    )


@dataclass(frozen=True)
class _PlaceMatches:
    ids: list[int]
    service_counts: list[PlaceServiceCount]
    url: str


def _places(
    *, query: TextQuery, candidates: TextCandidates, quartier: str, service: str
) -> _PlaceMatches:
    """The places matching `query` among the organisations' `candidates` (in `quartier`,
    offering `service`), the services facet counted before `service` narrows them, and
    their `/lieux/` address. Two to four queries."""
    ids = place_ids_among(query=query, candidates=candidates, quartier=quartier)
    counts = place_service_counts(query=query, place_ids=ids)
    if service:
        ids = place_ids_among(
            query=query, candidates=candidates, quartier=quartier, service=service
        )
    named = [count.slug for count in counts if count.named]
    shown_service = service or (named[0] if len(named) == 1 else "")
    url = places_list_url(service=shown_service, quartier=quartier)
    return _PlaceMatches(ids=ids, service_counts=counts, url=url)


@dataclass(frozen=True, slots=True)
class OfferItem:
    """What `/recherche/` shows of a funding scheme or support offer: its name and page,
    a scheme's stages (`stage_list`, `Term`s in their order), an offer's provider (its
    listing's name, else the label typed for it)."""

    slug: str
    name: str
    stage_list: list[Term]
    provider_name: str


def _offer_items(*, scheme_ids: list[int], offer_ids: list[int]):
    """The schemes `scheme_ids` and the offers `offer_ids` as `OfferItem`s, each list in the
    order of its ids. One query, none for no ids (issue 20: read as models with their
    stages they cost four statements and the ORM's building)."""
    if not (scheme_ids or offer_ids):
        return [], []
    with connection.cursor() as cursor:
        cursor.execute(search_sql.OFFER_ITEMS, {"scheme_ids": scheme_ids, "offer_ids": offer_ids})
        rows = cursor.fetchall()
    found = {
        (kind, pk): OfferItem(
            slug=slug,
            name=name,
            stage_list=[Term(*stage) for stage in stages or ()],
            provider_name=provider or label or "",
        )
        for kind, pk, slug, name, stages, provider, label in rows
    }
    return (
        [found[("scheme", pk)] for pk in scheme_ids if ("scheme", pk) in found],
        [found[("offer", pk)] for pk in offer_ids if ("offer", pk) in found],
    )


def _offers_with_stage_counts(
    *, query: TextQuery
) -> tuple[list[int], list[int], list[tuple[str, str, int]]]:
    """The ids of the schemes and of the offers matching `query` (as `offer_ids_search`) and
    how many of them cover each stage (slug, name, count). One query."""
    with connection.cursor() as cursor:
        cursor.execute(search_sql.offers_with_stage_counts(), query.params())
        scheme_ids, offer_ids, stages = cursor.fetchone()
    return scheme_ids, offer_ids, [tuple(stage) for stage in stages or []]


@dataclass(frozen=True)
class UnifiedSearchChoices:
    """The facets' choices as (slug, name): stages, and quartiers (only when loaded)."""

    stages: list[tuple[str, str]]
    quartiers: list[tuple[str, str]]
    quartiers_loaded: bool


def unified_search_choices_get() -> UnifiedSearchChoices:
    """The choices of `/recherche/`'s facets, read with the directory's filter panel's (one
    query, `organisation_filter_choices_get`, instead of three: issue 20)."""
    choices = organisation_filter_choices_get()
    return UnifiedSearchChoices(
        stages=choices.stages,
        quartiers=choices.quartiers,
        quartiers_loaded=choices.quartiers_loaded,
    )
