"""The directory's search: one page of organisations, the exports, the filter panels' choices.

Raw SQL in directory/sql.py (the result cards' in directory/search_sql.py); the map of these
organisations is cartography's (layers.py).
"""

from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from directory import credit_sql, search_sql, sql
from directory.filters import QPV_CODES, OrganisationFilters
from directory.models import Organisation
from directory.prepared import prepared_cursor
from directory.search import fold, query_words
from directory.selectors.credit import OrganisationCredit, organisation_credits_get

DIRECTORY_PAGE_SIZE = 20
#: Beyond this many matches the directory says "more than" rather than counting them all.
DIRECTORY_COUNT_CAP = 1000


@dataclass(frozen=True)
class Origin:
    """The point distances are measured from."""

    lat: float
    lon: float


@dataclass(frozen=True)
class OrganisationSearchPage:
    """One page of the directory: organisations in order (models, or `OrganisationCard`s for
    the pages), each with `distance_m` (or None), `kind_list` and `sector_list` (their kinds
    and sectors)."""

    organisations: list
    total: int
    page: int
    page_size: int
    sort: str

    @property
    def is_capped(self) -> bool:
        return self.total >= DIRECTORY_COUNT_CAP

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * self.page_size + len(self.organisations)


def organisation_sort_resolve(*, sort: str, filters: OrganisationFilters, origin: Origin | None):
    """The sort actually applied: relevance needs a query and distance an origin."""
    if sort == "distance" and origin is None:
        return "name"
    if sort == "relevance" and not filters.q:
        return "name"
    return sort or ("relevance" if filters.q else "name")


#: No filter at all: the whole directory.
UNFILTERED = OrganisationFilters()


def organisation_terms_annotate(queryset: QuerySet) -> QuerySet:
    """`queryset` of organisations with, in the same query, their kinds and sectors as
    (slug, name) pairs (`kind_terms`, `sector_terms`) and whether a person ever saved them
    (`has_typed_history`: the credits read their history only then). Prefetching the kinds
    and sectors cost two more queries and 3 ms of related managers for a page of ten (issue
    20). Then `organisation_terms_attach` each organisation."""
    id_column = sql.ORM_ORGANISATION_ID
    return queryset.annotate(
        kind_terms=RawSQL(search_sql.KIND_TERMS.format(id=id_column), ()),  # noqa: S611
        sector_terms=RawSQL(search_sql.SECTOR_TERMS.format(id=id_column), ()),  # noqa: S611
        has_typed_history=RawSQL(credit_sql.HAS_TYPED_HISTORY.format(id=id_column), ()),  # noqa: S611
    )


def organisation_terms_attach(organisation: Organisation) -> None:
    """Set `kind_list` and `sector_list` (`Term`s, what the pages, the credits and the API
    read: `records.term_slugs`) of an organisation read through
    `organisation_terms_annotate`."""
    organisation.kind_list = [Term(*term) for term in organisation.kind_terms]
    organisation.sector_list = [Term(*term) for term in organisation.sector_terms]


def organisation_search(
    *,
    filters: OrganisationFilters,
    sort: str = "",
    origin: Origin | None = None,
    page: int = 1,
    page_size: int = DIRECTORY_PAGE_SIZE,
) -> OrganisationSearchPage:
    """One page of the published organisations matching `filters`, for the directory's API.

    `sort` is `relevance` (full-text rank plus trigram word similarity; the default with a
    query), `name` (accent-insensitive; the default otherwise) or `distance` from `origin`
    (organisations without a point last). `total` counts up to `DIRECTORY_COUNT_CAP`
    (`is_capped` then says "more than"); beyond that cap, relevance ranks a bounded set of
    candidates (see `sql.organisation_text_page`). Queries: with a text query, one for the
    full-text query and one for the page with its count; without, one for the page with its
    count (and the first page's, for a page past the last); then one for the organisations
    with their kinds and sectors (`kind_list`, `sector_list`) and whether a person ever
    saved them (`has_typed_history`: the credits then read their history). Reads only. The
    pages show `organisation_card_search` instead (lighter, same order).
    """
    rows, total, sort = _page_rows(
        filters=filters, sort=sort, origin=origin, page=page, page_size=page_size
    )
    by_id = organisation_terms_annotate(
        Organisation.objects.select_related("legal_family")
    ).in_bulk([row[0] for row in rows])
    for organisation in by_id.values():
        organisation_terms_attach(organisation)
    for pk, distance in rows:
        # Like an annotation: the distance in metres from `origin`, None without a point.
        by_id[pk].distance_m = distance
        by_id[pk].distance_km = None if distance is None else distance / 1000
    return OrganisationSearchPage(
        organisations=[by_id[row[0]] for row in rows],
        total=total,
        page=page,
        page_size=page_size,
        sort=sort,
    )


@dataclass(frozen=True, slots=True)
class Term:
    """A kind or sector as a card shows it: `str()` is its name in the page's language, as
    the model's (`Taxonomy.label`)."""

    slug: str
    name: str

    def __str__(self) -> str:
        return _(self.name) if self.name else self.name


@dataclass(frozen=True, slots=True)
class OrganisationCard:
    """What a result card of `/annuaire/` and `/recherche/` shows of one organisation:
    `url` its page, `kind_list` and `sector_list` its `Term`s in their taxonomy's order,
    `distance_m` / `distance_km` from the origin (None without one or without a point)."""

    pk: int
    slug: str
    name: str
    acronym: str
    street: str
    postcode: str
    city: str
    description: str
    kind_list: list[Term]
    sector_list: list[Term]
    url: str
    distance_m: float | None
    distance_km: float | None

    # The card's lines, written here rather than by template tags and filters in the loop
    # (issue 20: each costs on every card); the template escapes them.

    @property
    def address(self) -> str:
        """The address line, "<street>, <postcode> <city>"; "" without street nor city."""
        if not (self.street or self.city):
            return ""
        comma = ", " if self.street and self.city else ""
        return f"{self.street}{comma}{self.postcode} {self.city}"

    @property
    def sectors_text(self) -> str:
        return ", ".join(str(sector) for sector in self.sector_list)

    @property
    def summary(self) -> str:
        """The presentation's first forty words, as `|truncatewords:40` cuts it."""
        return Truncator(self.description).words(40, truncate=" …")


def organisation_card_search(
    *,
    filters: OrganisationFilters,
    sort: str = "",
    origin: Origin | None = None,
    page: int = 1,
    page_size: int = DIRECTORY_PAGE_SIZE,
    tsqueries: tuple[str | None, str | None, bool] | None = None,
) -> OrganisationSearchPage:
    """The same page as `organisation_search`, its organisations as `OrganisationCard`s.

    `tsqueries` (the widened and strict full-text queries of `filters.q` and whether it is
    common, as `sql.SEARCH_TSQUERY` gives them) spares that query when the caller has them.
    Queries: those of `organisation_search`'s page and count, then one for the cards (the
    organisations with their kinds and sectors; none for an empty page). Reads only.
    """
    rows, total, sort = _page_rows(
        filters=filters,
        sort=sort,
        origin=origin,
        page=page,
        page_size=page_size,
        tsqueries=tsqueries,
    )
    return OrganisationSearchPage(
        organisations=organisation_cards(rows=rows),
        total=total,
        page=page,
        page_size=page_size,
        sort=sort,
    )


def organisation_cards(*, rows: list) -> list[OrganisationCard]:
    """The cards of the page's rows (id, distance), in their order. One query, none for
    no rows."""
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(search_sql.ORGANISATION_CARDS, {"ids": [row[0] for row in rows]})
        by_id = {row[0]: row for row in cursor.fetchall()}
    # Every card's page, from one reverse(): a slug needs no quoting in a path.
    before, after = reverse("directory:organisation", kwargs={"slug": "slug"}).rsplit("slug", 1)
    cards = []
    for pk, distance in rows:
        if pk not in by_id:
            continue  # deleted between the two statements
        _pk, slug, name, acronym, street, postcode, city, description, kinds, sectors = by_id[pk]
        cards.append(
            OrganisationCard(
                pk=pk,
                slug=slug,
                name=name,
                acronym=acronym,
                street=street,
                postcode=postcode,
                city=city,
                description=description,
                kind_list=[Term(*kind) for kind in kinds],
                sector_list=[Term(*sector) for sector in sectors],
                url=f"{before}{slug}{after}",
                distance_m=distance,
                distance_km=None if distance is None else distance / 1000,
            )
        )
    return cards


def _page_rows(
    *,
    filters: OrganisationFilters,
    sort: str,
    origin: Origin | None,
    page: int,
    page_size: int,
    tsqueries: tuple[str | None, str | None, bool] | None = None,
) -> tuple[list, int, str]:
    """The page's rows (id, distance), the capped number of matches and the sort applied."""
    sort = organisation_sort_resolve(sort=sort, filters=filters, origin=origin)
    params = {"limit": page_size, "offset": (page - 1) * page_size}
    if origin is not None:
        params.update(from_lat=origin.lat, from_lon=origin.lon)
    # Without a filter, the statement differs only by its page and origin, and one plan (an
    # index walked in order) fits them all: prepared once per connection (issue 20).
    with (prepared_cursor if filters == UNFILTERED else connection.cursor)() as cursor:
        if filters.q:
            rows, total = _text_page(
                cursor, filters=filters, sort=sort, params=params, tsqueries=tsqueries
            )
        else:
            where, filter_params = sql.organisation_filter(filters)
            params.update(filter_params)
            params["count_cap"] = DIRECTORY_COUNT_CAP
            statement = sql.organisation_page(
                where=where, order=sort, with_distance=origin is not None
            )
            cursor.execute(statement, params)
            rows = cursor.fetchall()
            total = rows[0][2] if rows else _empty_page_total(cursor, statement, params)
            rows = [row[:2] for row in rows]
    return rows, total, sort


def _text_page(
    cursor,
    *,
    filters: OrganisationFilters,
    sort: str,
    params: dict,
    tsqueries: tuple[str | None, str | None, bool] | None = None,
):
    """Rows (id, distance) of one page of a text search, and the capped number of matches.

    Two statements: the full-text query (typos widened against `directory_search_word`),
    then the page with its count, which binds that query as a value (see
    `sql.organisation_text_page` for how the ranking stays bounded).
    """
    where, filter_params = sql.organisation_filter(replace(filters, q=""))
    params.update(filter_params, q_folded=fold(filters.q), count_cap=DIRECTORY_COUNT_CAP)
    if tsqueries is None:
        cursor.execute(
            sql.SEARCH_TSQUERY,
            {"q_words": query_words(filters.q), "count_cap": DIRECTORY_COUNT_CAP},
        )
        tsqueries = cursor.fetchone()
    params["tsquery"], params["strict_tsquery"], common = tsqueries
    statement = sql.organisation_text_page(
        where=where, order=sort, with_distance="from_lat" in params, by_id=common
    )
    cursor.execute(statement, params)
    rows = cursor.fetchall()
    total = rows[0][2] if rows else _empty_page_total(cursor, statement, params)
    return [row[:2] for row in rows], total


def _empty_page_total(cursor, statement: str, params: dict) -> int:
    """The total of a page past the last one (an empty page), from its first page (each
    row of a page carries the total)."""
    if params["offset"] == 0:
        return 0
    cursor.execute(statement, {**params, "offset": 0, "limit": 1})
    row = cursor.fetchone()
    return row[2] if row else 0


#: The CSV export's header: French names of `sql.EXPORT_COLUMNS`, in the same order.
EXPORT_HEADER = (
    "id",
    "slug",
    "nom",
    "sigle",
    "types",
    "filieres",
    "famille_juridique",
    "forme_juridique",
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "site_web",
    "courriel",
    "telephone",
    "latitude",
    "longitude",
    "verifie_le",
    "sources",
    "credit_par_champ",
)

#: The export's columns whose credit `credit_par_champ` gives, with the field each shows.
EXPORT_CREDITED = {
    "nom": "name",
    "sigle": "acronym",
    "types": "kinds",
    "filieres": "sectors",
    "famille_juridique": "legal_family",
    "forme_juridique": "legal_form",
    "siret": "siret",
    "adresse": "street",
    "code_postal": "postcode",
    "commune": "city",
    "site_web": "website",
    "courriel": "email",
    "telephone": "phone",
    "latitude": "location",
}


def organisation_export_rows(*, filters: OrganisationFilters, sort: str = "") -> list[tuple]:
    """Every published organisation matching `filters`, as rows of `EXPORT_HEADER`.

    In the directory's order (`relevance` with a query, else `name`). One query. Reads only.
    """
    sort = organisation_sort_resolve(sort=sort, filters=filters, origin=None)
    where, params = sql.organisation_filter(filters)
    with connection.cursor() as cursor:
        cursor.execute(sql.organisation_export(where=where, order=sort), params)
        rows = cursor.fetchall()
    return _with_credit(rows)


def _with_credit(rows: list[tuple]) -> list[tuple]:
    """`rows` (id first), each with its `sources` (name, licence, date last seen) and its
    `credit_par_champ` ("site_web : Saisi par la structure, le 3 mars 2026 ; nom : Source :
    …", the page's words). Five to seven queries whatever the number of rows."""
    organisations = list(
        Organisation.objects.select_related("legal_family").filter(pk__in=[r[0] for r in rows])
    )
    credits = organisation_credits_get(organisations=organisations)
    return [
        (*row, _sources_cell(credits[row[0]]), _credit_cell(credits[row[0]], row)) for row in rows
    ]


def _sources_cell(credit: OrganisationCredit) -> str:
    """Each source with the date it gives its data, then the day Cartess last imported it
    (never the import date alone as if it dated the data)."""
    return " | ".join(
        _("%(name)s (%(licence)s, %(dated)s, importée le %(date)s)")
        % {
            "name": source.name,
            "licence": source.licence or _("licence non précisée"),
            "dated": source.dated or _("date des données non précisée"),
            "date": timezone.localdate(source.last_seen_at).isoformat(),
        }
        for source in credit.sources
    )


def _credit_cell(credit: OrganisationCredit, row: tuple) -> str:
    values = dict(zip(EXPORT_HEADER, row, strict=False))
    return " ; ".join(
        f"{column} : {credit.field_text(name)}"
        for column, name in EXPORT_CREDITED.items()
        if values.get(column) not in (None, "")
    )


@dataclass(frozen=True)
class FilterChoices:
    """The values each filter panel offers, as (slug, name) in taxonomy order."""

    kinds: list[tuple[str, str]]
    sectors: list[tuple[str, str]]
    stages: list[tuple[str, str]]
    legal_families: list[tuple[str, str]]
    quartiers: list[tuple[str, str]]
    #: The services a place can offer (cartography's taxonomy), for labels.
    place_services: list[tuple[str, str]] = field(default_factory=list)
    #: Whether a land or premises opportunity is published (the map's premises layer).
    premises_published: bool = False
    #: The kinds of reference areas loaded (see `area_kinds_loaded_get`): a filter on a
    #: layer that is not loaded is shown disabled, "couche non chargée".
    loaded_areas: frozenset[str] = frozenset()

    @property
    def qpv_loaded(self) -> bool:
        return "qpv" in self.loaded_areas

    @property
    def qpv_filterable(self) -> bool:
        """The QPV filter answers: outlines loaded, or QPV codes from a source."""
        return bool({"qpv", QPV_CODES} & self.loaded_areas)

    @property
    def qpv_codes_only(self) -> bool:
        """The QPV filter answers with the sources' QPV codes only (no outlines)."""
        return self.qpv_filterable and not self.qpv_loaded

    @property
    def quartiers_loaded(self) -> bool:
        return "quartier" in self.loaded_areas


def organisation_filter_choices_get() -> FilterChoices:
    """Every choice of the filter panels of `/carte/` and `/annuaire/`, and which layers of
    areas are loaded (as `area_kinds_loaded_get` says). One query (`sql.FILTER_CHOICES`),
    as these panels are on every visit of both pages and of `/recherche/`; prepared once
    per connection, a fixed statement without values (`directory.prepared`)."""
    lists: dict[str, list[tuple[str, str]]] = {}
    with prepared_cursor() as cursor:
        cursor.execute(sql.FILTER_CHOICES)
        for name, slug, label in cursor.fetchall():
            lists.setdefault(name, []).append((slug, label))
    return FilterChoices(
        loaded_areas=frozenset(slug for slug, _label in lists.get("area_kind", [])),
        kinds=lists.get("kinds", []),
        sectors=lists.get("sectors", []),
        stages=lists.get("stages", []),
        legal_families=lists.get("legal_families", []),
        quartiers=lists.get("quartiers", []),
        place_services=lists.get("place_services", []),
        premises_published="premises" in lists,
    )
