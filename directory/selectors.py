"""Reads of the directory app (STYLE rule 2): keyword-only functions named `<entity>_<action>`."""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Prefetch, Q

from directory import sql
from directory.access import NETWORK_KIND, user_is_moderator
from directory.areas import quartier_choices_get
from directory.filters import OrganisationFilters
from directory.models import (
    FundingScheme,
    LegalFamily,
    Organisation,
    OrganisationKind,
    PublicationStatus,
    Sector,
    Stage,
    SupportOffer,
)
from directory.search import fold, query_words
from importers.models import Provenance

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


def directory_summary_get() -> DirectorySummary:
    """Count what the public can find in the directory today, in four queries whatever the
    data (the home page adds the published premises: cartography's `premises_published_count`).

    Returns every `OrganisationKind` in its taxonomy order with its number of published
    organisations (zeros included), the number of published organisations and of those with
    a point (shown on the map), and the numbers of published funding schemes and support
    offers. Reads only; no side effect.
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
    )


def database_postgis_version_get() -> str:
    """Return the version of the PostGIS library of the default database, e.g. "3.3.2".

    Runs `SELECT postgis_lib_version()` through GeoDjango on every call (never cached).

    Raises:
        django.db.Error: the database cannot be reached or PostGIS is missing.
    """
    return connection.ops.postgis_lib_version()


# --- The directory and its exports (raw SQL in directory/sql.py; the map is cartography's) ---

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
    """One page of the directory: organisations in order, each with `distance_m` (or None),
    `kind_list` and `sector_list` (their kinds and sectors, prefetched)."""

    organisations: list[Organisation]
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


def organisation_search(
    *,
    filters: OrganisationFilters,
    sort: str = "",
    origin: Origin | None = None,
    page: int = 1,
    page_size: int = DIRECTORY_PAGE_SIZE,
) -> OrganisationSearchPage:
    """One page of the published organisations matching `filters`, for the directory.

    `sort` is `relevance` (full-text rank plus trigram word similarity; the default with a
    query), `name` (accent-insensitive; the default otherwise) or `distance` from `origin`
    (organisations without a point last). `total` counts up to `DIRECTORY_COUNT_CAP`
    (`is_capped` then says "more than"); beyond that cap, relevance ranks a bounded set of
    candidates (see `sql.organisation_text_page`). Queries: with a text query, one for the
    full-text query and one for the page with its count; without, one for the page and one
    for the count unless the first page holds every match; then one for the organisations
    and one per prefetched relation (kinds, sectors). Reads only.
    """
    sort = organisation_sort_resolve(sort=sort, filters=filters, origin=origin)
    params = {"limit": page_size, "offset": (page - 1) * page_size}
    if origin is not None:
        params.update(from_lat=origin.lat, from_lon=origin.lon)
    with connection.cursor() as cursor:
        if filters.q:
            rows, total = _text_page(cursor, filters=filters, sort=sort, params=params)
        else:
            where, filter_params = sql.organisation_filter(filters)
            params.update(filter_params)
            statement = sql.organisation_page(
                where=where, order=sort, with_distance=origin is not None
            )
            cursor.execute(statement, params)
            rows = cursor.fetchall()
            total = _total(cursor, where=where, params=params, page=page, rows=rows)
    # Lists rather than managers: a template reading `organisation.kinds.all` builds a
    # related manager per card and per access, a measurable part of the page's time.
    by_id = (
        Organisation.objects.select_related("legal_family")
        .prefetch_related(
            Prefetch("kinds", to_attr="kind_list"), Prefetch("sectors", to_attr="sector_list")
        )
        .in_bulk([row[0] for row in rows])
    )
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


def _text_page(cursor, *, filters: OrganisationFilters, sort: str, params: dict):
    """Rows (id, distance) of one page of a text search, and the capped number of matches.

    Two statements: the full-text query (typos widened against `directory_search_word`),
    then the page with its count, which binds that query as a value (see
    `sql.organisation_text_page` for how the ranking stays bounded).
    """
    where, filter_params = sql.organisation_filter(replace(filters, q=""))
    params.update(filter_params, q_folded=fold(filters.q), count_cap=DIRECTORY_COUNT_CAP)
    cursor.execute(sql.SEARCH_TSQUERY, {"q_words": query_words(filters.q)})
    params["tsquery"] = cursor.fetchone()[0]
    statement = sql.organisation_text_page(
        where=where, order=sort, with_distance="from_lat" in params
    )
    cursor.execute(statement, params)
    rows = cursor.fetchall()
    total = rows[0][2] if rows else _text_total(cursor, statement=statement, params=params)
    return [row[:2] for row in rows], total


def _text_total(cursor, *, statement: str, params: dict) -> int:
    """The total of a page past the last one (an empty page), from its first page."""
    if params["offset"] == 0:
        return 0
    cursor.execute(statement, {**params, "offset": 0, "limit": 1})
    row = cursor.fetchone()
    return row[2] if row else 0


def _total(cursor, *, where: str, params: dict, page: int, rows: list) -> int:
    """The number of matches, up to DIRECTORY_COUNT_CAP; free when one page holds them all."""
    if page == 1 and len(rows) < params["limit"]:
        return len(rows)
    cursor.execute(
        sql.organisation_count(where=where), {**params, "count_cap": DIRECTORY_COUNT_CAP}
    )
    return cursor.fetchone()[0]


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
)


def organisation_export_rows(*, filters: OrganisationFilters, sort: str = "") -> list[tuple]:
    """Every published organisation matching `filters`, as rows of `EXPORT_HEADER`.

    In the directory's order (`relevance` with a query, else `name`). One query. Reads only.
    """
    sort = organisation_sort_resolve(sort=sort, filters=filters, origin=None)
    where, params = sql.organisation_filter(filters)
    with connection.cursor() as cursor:
        cursor.execute(sql.organisation_export(where=where, order=sort), params)
        return cursor.fetchall()


@dataclass(frozen=True)
class FilterChoices:
    """The values each filter panel offers, as (slug, name) in taxonomy order."""

    kinds: list[tuple[str, str]]
    sectors: list[tuple[str, str]]
    stages: list[tuple[str, str]]
    legal_families: list[tuple[str, str]]
    quartiers: list[tuple[str, str]]


def organisation_filter_choices_get() -> FilterChoices:
    """Every choice of the filter panels of `/carte/` and `/annuaire/`. Five queries."""
    return FilterChoices(
        kinds=list(OrganisationKind.objects.values_list("slug", "name")),
        sectors=list(Sector.objects.values_list("slug", "name")),
        stages=list(Stage.objects.values_list("slug", "name")),
        legal_families=list(LegalFamily.objects.values_list("slug", "name")),
        quartiers=quartier_choices_get(),
    )


@dataclass(frozen=True)
class FactSource:
    """One source behind a record: who published it, under which licence, when it was seen."""

    name: str
    url: str
    licence: str
    licence_url: str
    external_id: str
    first_seen_at: object
    last_seen_at: object
    fields: frozenset[str]


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

    @property
    def fact_sources(self) -> dict[str, str]:
        """Field name -> names of the sources whose last import gave it a value.

        A field missing from the mapping was entered or edited in Cartess.
        """
        names: dict[str, list[str]] = {}
        for source in self.sources:
            for field_name in source.fields:
                names.setdefault(field_name, []).append(source.name)
        return {field_name: ", ".join(values) for field_name, values in names.items()}


def _fact_sources(organisation: Organisation) -> list[FactSource]:
    """What each source of `organisation` said (one query)."""
    provenances = (
        Provenance.objects.filter(
            content_type=ContentType.objects.get_for_model(Organisation),
            object_id=organisation.pk,
        )
        .select_related("source")
        .order_by("first_seen_at")
    )
    return [
        FactSource(
            name=provenance.source.name,
            url=provenance.source.url,
            licence=provenance.source.licence,
            licence_url=provenance.source.licence_url,
            external_id=provenance.external_id,
            first_seen_at=provenance.first_seen_at,
            last_seen_at=provenance.last_seen_at,
            fields=frozenset(
                key for key, value in (provenance.imported_values or {}).items() if value
            ),
        )
        for provenance in provenances
    ]


def organisation_detail_get(*, slug: str) -> OrganisationDetail:
    """The published organisation `slug` with every related fact, in a fixed number of queries.

    Funding schemes it funds and support offers it provides are the published ones, with
    their stages; `stages` is their union, in life-cycle order. `networks` are the networks
    it belongs to, `members` its members (published only). `sources` come from its
    provenances. Reads only.

    Raises:
        Organisation.DoesNotExist: no published organisation has this slug.
    """
    published_offers = Q(publication_status=PUBLISHED)
    organisation = (
        Organisation.objects.select_related("legal_family")
        .prefetch_related(
            "kinds",
            "sectors",
            Prefetch(
                "funding_schemes",
                queryset=FundingScheme.objects.filter(published_offers).prefetch_related(
                    "stages", "instruments"
                ),
            ),
            Prefetch(
                "support_offers",
                queryset=SupportOffer.objects.filter(published_offers).prefetch_related(
                    "stages", "kinds"
                ),
            ),
            Prefetch("networks", queryset=Organisation.objects.filter(published_offers)),
            Prefetch("members", queryset=Organisation.objects.filter(published_offers)),
        )
        .get(slug=slug, publication_status=PUBLISHED)
    )
    offers = [*organisation.funding_schemes.all(), *organisation.support_offers.all()]
    stages = {stage.pk: stage for offer in offers for stage in offer.stages.all()}
    return OrganisationDetail(
        organisation=organisation,
        kinds=list(organisation.kinds.all()),
        sectors=list(organisation.sectors.all()),
        stages=sorted(stages.values(), key=lambda stage: (stage.position, stage.name)),
        funding_schemes=list(organisation.funding_schemes.all()),
        support_offers=list(organisation.support_offers.all()),
        networks=list(organisation.networks.all()),
        members=list(organisation.members.all()),
        sources=_fact_sources(organisation),
    )


@dataclass(frozen=True)
class NetworkPage:
    """A network, its published members and their points for the small map."""

    network: Organisation
    members: list
    points: list[dict]
    editable_member_ids: frozenset[int]


def network_page_get(*, slug: str, user) -> NetworkPage:
    """The published network `slug` (an organisation of kind reseau) and its members.

    `points` are the members with a location, as {"name", "slug", "lat", "lon"};
    `editable_member_ids` the members `user` may edit. Reads only.

    Raises:
        Organisation.DoesNotExist: no published network has this slug.
    """
    network = Organisation.objects.get(
        slug=slug, publication_status=PUBLISHED, kinds__slug=NETWORK_KIND
    )
    members = list(
        network.members.filter(publication_status=PUBLISHED)
        .prefetch_related("kinds")
        .order_by("name")
    )
    points = [
        {"name": m.name, "slug": m.slug, "lat": m.location.y, "lon": m.location.x}
        for m in members
        if m.location is not None
    ]
    return NetworkPage(
        network=network,
        members=members,
        points=points,
        editable_member_ids=_editable_ids(user=user, network=network, members=members),
    )


def _editable_ids(*, user, network: Organisation, members: list) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    if user_is_moderator(user=user) or network.editors.filter(user=user).exists():
        return frozenset(member.pk for member in members)
    return frozenset()


#: A listing nobody verified for this many days is stale on the freshness dashboard.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class FreshnessRow:
    """One member of a network and what its listing lacks."""

    member: Organisation
    stale: bool
    no_location: bool
    no_contact: bool
    no_siret: bool

    @property
    def complete(self) -> bool:
        return not (self.stale or self.no_location or self.no_contact or self.no_siret)


def network_freshness_get(*, network: Organisation, today) -> list[FreshnessRow]:
    """Every member of `network` (drafts included), the most incomplete first.

    A listing is stale when never verified or verified more than STALE_AFTER_DAYS before
    `today`; it lacks a contact without email, phone and website. Reads only.
    """
    limit = today - timedelta(days=STALE_AFTER_DAYS)
    rows = [
        FreshnessRow(
            member=member,
            stale=member.last_verified_on is None or member.last_verified_on < limit,
            no_location=member.location is None,
            no_contact=not (member.email or member.phone or member.website),
            no_siret=not member.siret,
        )
        for member in network.members.order_by("name")
    ]
    return sorted(rows, key=_missing_count, reverse=True)


def _missing_count(row: FreshnessRow) -> int:
    return sum((row.stale, row.no_location, row.no_contact, row.no_siret))
