"""Raw SQL of the directory app, kept in one place (STYLE rule 12)."""

from dataclasses import asdict

from directory.filters import QPV_CODES, OrganisationFilters
from directory.models import PublicationStatus
from directory.search import fold, query_words
from directory.summary import PUBLISHED_COUNT

CREATE_SEARCH_CONFIGURATION = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
"""
DROP_SEARCH_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"

# unaccent() is only STABLE (it reads its dictionary through search_path); naming the
# dictionary explicitly makes the result fixed, so the wrapper can be IMMUTABLE and indexed.
CREATE_IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION public.cartess_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""
DROP_IMMUTABLE_UNACCENT = "DROP FUNCTION IF EXISTS public.cartess_unaccent(text);"


# --- Public reads of organisations: the map, the directory and its exports -----------------
#
# Every statement below takes its values as bound parameters (psycopg named placeholders);
# the only text assembled in Python is a choice among the fixed fragments of this module.

#: The words of the query as prefixes, all required, each widened to its synonyms by the
#: ESS thesaurus (`cartess_synonyms`, directory/synonyms.py): "velo" -> (velo:* | cycl:* | ...).
#: What an exact or synonym match is: it ranks above a typo widening (`_TSQUERY`).
_STRICT_TSQUERY = """(SELECT cartess_synonyms(to_tsquery('french_unaccent', string_agg(
    q.word || ':*', ' & '))) FROM unnest(%(q_words)s::text[]) AS q(word))"""

#: As `_STRICT_TSQUERY`, and a word that no published organisation uses (a typo) nor the
#: thesaurus knows is widened to the closest word they do use, from `directory_search_word`:
#: "ccoperative velo" -> (ccoperative:* | cooperative:*) & (velo:* | cycl:* | ...). An
#: uncorrelated sub-query: PostgreSQL computes it once per statement.
_TSQUERY = """(SELECT cartess_synonyms(to_tsquery('french_unaccent', string_agg(
    '(' || q.word || ':*' || coalesce(' | ' || (
        SELECT w.word FROM directory_search_word w
        WHERE w.word %% q.word
          AND NOT EXISTS (SELECT 1 FROM directory_search_word known WHERE known.word = q.word)
          AND NOT EXISTS (SELECT 1 FROM directory_search_synonym s
                          WHERE s.target = plainto_tsquery('french_unaccent', q.word))
        ORDER BY similarity(w.word, q.word) DESC, w.frequency DESC, w.word
        LIMIT 1
    ) || ':*', '') || ')', ' & ')))
    FROM unnest(%(q_words)s::text[]) AS q(word))"""

#: The full-text queries of a search, widened (typos) and strict (exact words and synonyms),
#: computed once per request and then bound as values (`%(tsquery)s`, `%(strict_tsquery)s`),
#: so that the planner sees how many rows they match and the typo widening runs once rather
#: than in every place the query is used.
#: And a third column, whether the widened query is common enough that its relevance
#: candidates are best found walking the primary key (`organisation_text_page`'s `by_id`):
#: reading every match costs what it matches, the walk `count_cap` times the share it skips,
#: so their costs cross near sqrt(2 x count_cap x published). How many a query matches is
#: told, from above, by its most frequent word (`directory_search_word`, as a prefix); a
#: prefix of more than `_PREFIX_WORDS` words is common without summing them all. The words
#: hold [a-z0-9] only: a prefix's words lie between it and it followed by z's, in the C
#: collation of `make demo` as in the en_US one of docker-compose's image.
_PREFIX_WORDS = 200
SEARCH_TSQUERY = f"""
WITH t AS MATERIALIZED (SELECT {_TSQUERY} AS tsquery)
SELECT t.tsquery::text, {_STRICT_TSQUERY}::text, (
    SELECT coalesce(max(f.frequency), 0) ^ 2 >= 2 * %(count_cap)s * (
        SELECT coalesce(sum(delta), 0) FROM directory_summarydelta
        WHERE figure = 'organisations')
    FROM regexp_matches(t.tsquery::text, '''([^'']+)''', 'g') AS m(lexeme)
    CROSS JOIN LATERAL (
        SELECT CASE WHEN count(*) < {_PREFIX_WORDS} THEN sum(w.frequency)
            ELSE 'Infinity' END AS frequency
        FROM (SELECT w.frequency FROM directory_search_word w
              WHERE w.word >= m.lexeme[1] AND w.word <= m.lexeme[1] || repeat('z', 64)
              LIMIT {_PREFIX_WORDS}) w) f)
FROM t
"""  # noqa: S608 - fixed fragments of this module

#: French, unaccented, typo-tolerant match: full text on the search vector (typos in any
#: word corrected as above), or the query close enough to a word sequence of the name
#: (pg_trgm `<%`, served by the trigram index).
_TEXT_MATCH = f"""(
    o.search_vector @@ {_TSQUERY}
    OR %(q_folded)s <%% cartess_unaccent(lower(o.name))
)"""

#: The dictionary of `_TSQUERY`: every word (unaccented, lower case, 3 characters or more)
#: of the names, acronyms and presentations of the published organisations, with how many
#: times it occurs (migration 0005; a table since 0031, see `directory.search_words`).
CREATE_SEARCH_WORDS = """
CREATE MATERIALIZED VIEW directory_search_word AS
SELECT word, count(*) AS frequency
FROM (
    SELECT regexp_split_to_table(
        cartess_unaccent(lower(o.name || ' ' || o.acronym || ' ' || o.description)),
        '[^a-z0-9]+'
    ) AS word
    FROM directory_organisation o
    WHERE o.publication_status = 'publie'
) AS words
WHERE length(word) > 2
GROUP BY word;
CREATE UNIQUE INDEX directory_search_word_word_idx ON directory_search_word (word);
CREATE INDEX directory_search_word_trgm_idx ON directory_search_word USING gin (word gin_trgm_ops);
"""
DROP_SEARCH_WORDS = "DROP MATERIALIZED VIEW IF EXISTS directory_search_word;"
REFRESH_SEARCH_WORDS = "REFRESH MATERIALIZED VIEW directory_search_word;"

#: A reference area's slug, computed as Django's slugify() does for the names of the
#: territory (letters, digits and hyphens), so `quartier=fives` and `quartier=59350-4` agree.
AREA_SLUG = (
    "trim(both '-' from regexp_replace(lower(cartess_unaccent(a.name)), '[^a-z0-9]+', '-', 'g'))"
)

_FILTERS = {
    "bbox": "o.location && ST_MakeEnvelope(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s, 4326)",
    "kinds": """EXISTS (
        SELECT 1 FROM directory_organisation_kinds ok
        JOIN directory_organisationkind k ON k.id = ok.organisationkind_id
        WHERE ok.organisation_id = o.id AND k.slug = ANY(%(kinds)s))""",
    "sectors": """EXISTS (
        SELECT 1 FROM directory_organisation_sectors os
        JOIN directory_sector s ON s.id = os.sector_id
        WHERE os.organisation_id = o.id AND s.slug = ANY(%(sectors)s))""",
    "legal_families": """EXISTS (
        SELECT 1 FROM directory_legalfamily lf
        WHERE lf.id = o.legal_family_id AND lf.slug = ANY(%(legal_families)s))""",
    # A stage is served through the published support offers an organisation provides or
    # the published funding schemes it funds.
    "stages": """(EXISTS (
        SELECT 1 FROM directory_supportoffer so
        JOIN directory_supportoffer_stages sos ON sos.supportoffer_id = so.id
        JOIN directory_stage st ON st.id = sos.stage_id
        WHERE so.provider_id = o.id AND so.publication_status = %(published)s
          AND st.slug = ANY(%(stages)s))
    OR EXISTS (
        SELECT 1 FROM directory_fundingscheme_funders ff
        JOIN directory_fundingscheme fs ON fs.id = ff.fundingscheme_id
        JOIN directory_fundingscheme_stages fss ON fss.fundingscheme_id = fs.id
        JOIN directory_stage st ON st.id = fss.stage_id
        WHERE ff.organisation_id = o.id AND fs.publication_status = %(published)s
          AND st.slug = ANY(%(stages)s)))""",
    "quartier": f"""EXISTS (
        SELECT 1 FROM cartography_referencearea a
        WHERE a.kind = 'quartier' AND (a.code = %(quartier)s OR {AREA_SLUG} = %(quartier)s)
          AND ST_Intersects(a.geometry, o.location))""",  # noqa: S608 - a fixed fragment
    # In a QPV: its point lies in a loaded outline, or its source gave a QPV code.
    "qpv": """(o.qpv_code <> '' OR EXISTS (
        SELECT 1 FROM cartography_referencearea a
        WHERE a.kind = 'qpv' AND ST_Intersects(a.geometry, o.location)))""",
    "q": _TEXT_MATCH,
    "network": """EXISTS (
        SELECT 1 FROM directory_networkmembership nm
        JOIN directory_organisation n ON n.id = nm.network_id
        WHERE nm.member_id = o.id AND n.slug = %(network)s)""",
}


def organisation_where(active: list[str]) -> str:
    """The WHERE clause (alias `o`) for the published organisations still open (a closed
    one, `closed_on` set, keeps its page but leaves the lists and the map) and the named
    filters.

    `active` names keys of `_FILTERS`; their parameters are bound by the caller.
    """
    clauses = ["o.publication_status = %(published)s", "o.closed_on IS NULL"]
    clauses += [_FILTERS[name] for name in active]
    return " AND ".join(clauses)


def organisation_filter(filters: OrganisationFilters) -> tuple[str, dict]:
    """The WHERE clause (alias `o`) of the published organisations matching `filters`, and
    its bound parameters: what the directory, its exports and the map select."""
    params: dict = {"published": PublicationStatus.PUBLISHED}
    active = []
    if filters.bbox is not None:
        active.append("bbox")
        params.update(asdict(filters.bbox))
    for name in ("kinds", "sectors", "stages", "legal_families"):
        if getattr(filters, name):
            active.append(name)
            params[name] = list(getattr(filters, name))
    if filters.quartier:
        active.append("quartier")
        params["quartier"] = filters.quartier
    if filters.qpv:
        active.append("qpv")
    if filters.q:
        active.append("q")
    if filters.network:
        active.append("network")
        params["network"] = filters.network
    # Always bound: the relevance order reads them even without the `q` filter.
    params["q_folded"] = fold(filters.q)
    params["q_words"] = query_words(filters.q)
    return organisation_where(active), params


#: The slugs of the organisation's kinds, in taxonomy order, as a JSON array.
KIND_SLUGS = """(
    SELECT coalesce(json_agg(k.slug ORDER BY k.position, k.name), '[]'::json)
    FROM directory_organisation_kinds ok
    JOIN directory_organisationkind k ON k.id = ok.organisationkind_id
    WHERE ok.organisation_id = o.id)"""


#: Exact and synonym matches first, then the full-text matches of a typo widening, each by
#: ts_rank (name weighs more than description); then the matches by trigrams only (typos),
#: by word similarity, the costly function kept to few rows.
_RANK = f"""(CASE WHEN o.search_vector @@ {_STRICT_TSQUERY}
    THEN 2 + ts_rank(o.search_vector, {_STRICT_TSQUERY})
    WHEN o.search_vector @@ {_TSQUERY}
    THEN 1 + ts_rank(o.search_vector, {_TSQUERY})
    ELSE word_similarity(%(q_folded)s, cartess_unaccent(lower(o.name))) END)"""
_DISTANCE = (
    "ST_DistanceSphere(o.location, ST_SetSRID(ST_MakePoint(%(from_lon)s, %(from_lat)s), 4326))"
)
#: Nearest first, read in order from the geography GiST index (`organisation_geography_idx`)
#: and stopped at the page's end: the same sphere distance as `_DISTANCE`, which is computed
#: for the page's rows only. Rows without a point come last (NULL sorts last ascending).
_NEAREST = (
    "o.location::geography(Point, 4326)"
    " <-> ST_SetSRID(ST_MakePoint(%(from_lon)s, %(from_lat)s), 4326)::geography"
)
#: `cartess_unaccent(lower(name))` is the expression of the name's sort index.
_NAME_KEY = "cartess_unaccent(lower(o.name))"
_BY_NAME = f"{_NAME_KEY}, o.id"
_ORDERS = {
    "name": _BY_NAME,
    # Ties by id: the folded name would cost an unaccent() per match, thousands of them.
    "relevance": f"{_RANK} DESC, o.id",
    "distance": f"{_NEAREST}, {_BY_NAME}",
}


def organisation_order(order: str) -> str:
    """The ORDER BY expression (alias `o`) of a directory sort: name, relevance or distance."""
    return _ORDERS[order]


#: Rows beyond the page's end that the nearest-first walk also reads, so that organisations
#: at exactly the same distance (one building) are ordered by name across a page break.
NEAREST_SLACK = 50


def organisation_page(*, where: str, order: str, with_distance: bool) -> str:
    """Ids of one page of matching organisations, in order, with the distance in metres and,
    on every row, the number of matches up to `count_cap`: one round trip (issue 20)."""
    total = f"({organisation_count(where=where).strip()}) AS total"
    if order == "distance":
        return _organisation_nearest_page(where=where, total=total)
    distance = _DISTANCE if with_distance else "NULL::float"
    return f"""
SELECT o.id, {distance} AS distance, {total}
FROM directory_organisation o WHERE {where}
ORDER BY {_ORDERS[order]} LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


def _organisation_nearest_page(*, where: str, total: str) -> str:
    # PostgreSQL walks a GiST index nearest first only when `<->` is the whole ORDER BY (a
    # tie-breaker after it turns it into a scan and sort of every row: 1.1 s at 100k). So
    # the located rows are read nearest first up to the page's end (plus a slack for ties),
    # those without a point by name, and only these few are put in the final order.
    return f"""
SELECT id, distance, {total} FROM (
    (SELECT o.id, {_DISTANCE} AS distance, 0 AS without_point, {_NAME_KEY} AS name_key
     FROM directory_organisation o WHERE {where} AND o.location IS NOT NULL
     ORDER BY {_NEAREST} LIMIT %(offset)s + %(limit)s + {NEAREST_SLACK})
    UNION ALL
    (SELECT o.id, NULL::float, 1, {_NAME_KEY}
     FROM directory_organisation o WHERE {where} AND o.location IS NULL
     ORDER BY {_BY_NAME} LIMIT %(offset)s + %(limit)s)
) candidates
ORDER BY without_point, distance, name_key, id LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: The organisation's id in the ORM's own SQL, for the fixed fragments annotated on its queries.
ORM_ORGANISATION_ID = '"directory_organisation"."id"'

#: Which relations the organisation page lists (`selectors.organisations`) the organisation
#: `{id}` (a column of the outer query) has any link in, by name: the page reads only those.
#: Most organisations have none, and a query that finds nothing still cost its compilation
#: and a round trip, four of them on a page (issue 20). A link to an unpublished scheme,
#: offer or listing counts: the relation's own query leaves it out.
DETAIL_LINKS = """array_remove(ARRAY[
    CASE WHEN EXISTS (SELECT 1 FROM directory_fundingscheme_funders l
        WHERE l.organisation_id = {id}) THEN 'funding_schemes' END,
    CASE WHEN EXISTS (SELECT 1 FROM directory_supportoffer l
        WHERE l.provider_id = {id}) THEN 'support_offers' END,
    CASE WHEN EXISTS (SELECT 1 FROM directory_networkmembership l
        WHERE l.member_id = {id}) THEN 'networks' END,
    CASE WHEN EXISTS (SELECT 1 FROM directory_networkmembership l
        WHERE l.network_id = {id}) THEN 'members' END]::varchar[], NULL)"""


#: Relevance, name and distance orders of the text search (`organisation_text_page`): first
#: the cheap indexed order that picks at most `count_cap` full-text candidates, then the
#: final order of the page over the candidates (columns of the `matches` CTE). Relevance
#: takes them by id for a common query (walking the primary key finds them at once), else
#: as the index finds them: ordering these by id read every match's row first (7,300 pages
#: for a town's name at 1M, issue 16), the first `count_cap` read now stop the scan.
_TEXT_ORDERS = {
    "relevance": ("", "m.tier, m.score DESC, m.id"),
    "name": (_BY_NAME, "m.name_key, m.id"),
    "distance": (
        f"{_NEAREST}, o.id",
        "m.distance NULLS LAST, m.name_key, m.id",
    ),
}


#: `Organisation.is_place` in two halves: its row (`o`) has a place role or services; else its
#: link to the kind tiers-lieu, one indexed lookup by its id (`{id}`), no hashed set.
IS_PLACE_ROW = """(o.place_roles && %(place_roles)s::varchar[]
        OR o.place_services_vector IS NOT NULL)"""
IS_TIERS_LIEU = """EXISTS (SELECT 1 FROM directory_organisation_kinds tl
        WHERE tl.organisation_id = {id} AND tl.organisationkind_id = (
            SELECT id FROM directory_organisationkind WHERE slug = 'tiers-lieu'))"""


def organisation_text_page(
    *, where: str, order: str, with_distance: bool, with_place: bool = False, by_id: bool = True
) -> str:
    """One page of a text search, with the number of matches (up to `count_cap`) on each row.

    Relevance ranking scores every match (ts_rank, a heap read per row), so it is kept to a
    bounded set: at most `count_cap` full-text matches (`%(tsquery)s`), taken in an indexed
    order (name, distance from the origin; for relevance, id with `by_id`, else the table's
    own), are scored and ordered. When fewer match,
    this is every match, ranked exactly; when more do, the directory says "more than" and
    pages through those candidates. The trigram matches on the name (typos the dictionary
    could not correct) come after the full-text ones, and are only looked for when the full
    text leaves the result under the cap: on a common word that scan of the names costs
    several times the full-text search.
    `where` must not hold the `q` filter. Columns: id, distance (metres or NULL), total,
    tier (3 for a name close to the query; 1 or 2 for a full-text match), and with
    `with_place` whether it is a place (`IS_PLACE_ROW`, read while the row is at hand, or
    `IS_TIERS_LIEU`: the unified search looks for its places among these candidates).
    """
    candidates, final = _TEXT_ORDERS[order]
    if order == "relevance" and by_id:
        candidates = "o.id"
    candidates = f"ORDER BY {candidates}" if candidates else ""
    # Only what the final order reads is computed: unaccent() and ts_rank() cost per row.
    columns = ", ".join(
        [
            "o.id",
            f"{_NAME_KEY if order != 'relevance' else 'NULL::text'} AS name_key",
            f"{_DISTANCE if with_distance else 'NULL::float'} AS distance",
            f"{IS_PLACE_ROW if with_place else 'NULL::boolean'} AS is_place",
        ]
    )
    # The kind looked up for the kept rows only: a CTE column is computed for every match.
    place = f", m.is_place OR {IS_TIERS_LIEU.format(id='m.id')}" if with_place else ""
    relevance = order == "relevance"
    fts_score = "ts_rank(o.search_vector, %(tsquery)s::tsquery)" if relevance else "NULL::real"
    fuzzy_score = f"word_similarity(%(q_folded)s, {_NAME_KEY})" if relevance else "NULL::real"
    # An exact or synonym match (tier 1) ranks above one only through a typo widening (2).
    fts_tier = (
        "CASE WHEN o.search_vector @@ %(strict_tsquery)s::tsquery THEN 1 ELSE 2 END"
        if relevance
        else "1"
    )
    return f"""
WITH fts AS MATERIALIZED (
    SELECT {columns}, {fts_tier} AS tier, {fts_score} AS score
    FROM directory_organisation o
    WHERE {where} AND o.search_vector @@ %(tsquery)s::tsquery
    {candidates} LIMIT %(count_cap)s
), fuzzy AS MATERIALIZED (
    SELECT {columns}, 3 AS tier, {fuzzy_score} AS score
    FROM directory_organisation o
    WHERE (SELECT count(*) FROM fts) < %(count_cap)s
      AND {where} AND %(q_folded)s <%% {_NAME_KEY}
      AND NOT coalesce(o.search_vector @@ %(tsquery)s::tsquery, false)
    LIMIT %(count_cap)s
), matches AS (SELECT * FROM fts UNION ALL SELECT * FROM fuzzy)
SELECT m.id, m.distance, least((SELECT count(*) FROM matches), %(count_cap)s) AS total, m.tier
    {place}
FROM matches m
ORDER BY {final} LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


def organisation_count(*, where: str) -> str:
    """How many organisations match, counting no further than `count_cap`: without a filter,
    the figure the database keeps (`summary.PUBLISHED_COUNT`), no rows read (issue 20)."""
    if where == organisation_where([]):
        return PUBLISHED_COUNT
    return f"""
SELECT count(*) FROM (
    SELECT 1 FROM directory_organisation o WHERE {where} LIMIT %(count_cap)s
) matches
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: The columns of the directory's exports (alias `o`), by name, in the CSV's order: what the
#: CSV writes and the GeoJSON export (cartography's organisations layer) reads.
EXPORT_COLUMNS = {
    "id": "o.id",
    "slug": "o.slug",
    "name": "o.name",
    "acronym": "o.acronym",
    "kinds": """(SELECT coalesce(string_agg(k.name, ' ; ' ORDER BY k.position, k.name), '')
     FROM directory_organisation_kinds ok
     JOIN directory_organisationkind k ON k.id = ok.organisationkind_id
     WHERE ok.organisation_id = o.id)""",
    "sectors": """(SELECT coalesce(string_agg(s.name, ' ; ' ORDER BY s.position, s.name), '')
     FROM directory_organisation_sectors os JOIN directory_sector s ON s.id = os.sector_id
     WHERE os.organisation_id = o.id)""",
    "legal_family": """coalesce(
        (SELECT lf.name FROM directory_legalfamily lf WHERE lf.id = o.legal_family_id), '')""",
    "legal_form": "o.legal_form",
    "siret": "o.siret",
    "street": "o.street",
    "postcode": "o.postcode",
    "city": "o.city",
    "website": "o.website",
    "email": "o.email",
    "phone": "o.phone",
    "latitude": "round(ST_Y(o.location)::numeric, 6)",
    "longitude": "round(ST_X(o.location)::numeric, 6)",
    "last_verified_on": "o.last_verified_on",
}


def organisation_export(*, where: str, order: str) -> str:
    """Every matching organisation with the columns of the CSV export, in `EXPORT_COLUMNS`
    order."""
    columns = ", ".join(f"{expression} AS {name}" for name, expression in EXPORT_COLUMNS.items())
    return f"""
SELECT {columns} FROM directory_organisation o WHERE {where}
ORDER BY {_ORDERS[order]}
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: The kinds of reference areas loaded, and QPV_CODES when an organisation has a QPV code.
QPV_CODES_EXIST = "EXISTS (SELECT 1 FROM directory_organisation WHERE qpv_code <> '')"
AREA_KINDS_LOADED = f"""SELECT DISTINCT kind FROM cartography_referencearea
UNION ALL SELECT '{QPV_CODES}' WHERE {QPV_CODES_EXIST}"""  # noqa: S608 - fixed fragments

#: The quartiers, by name, with the slug the organisation filters accept.
QUARTIER_CHOICES = f"""
SELECT {AREA_SLUG} AS slug, a.name FROM cartography_referencearea a
WHERE a.kind = 'quartier' ORDER BY a.name
"""  # noqa: S608 - a fixed fragment


#: Every choice of the filter panels (`/annuaire/`, `/carte/`) in one round trip instead of
#: six, as rows (list, slug, name): the taxonomies in their order (position, name), the
#: quartiers by name, one "area_kind" row per kind of reference area loaded, the places'
#: services (the map names them in its premises popups), and a "premises" row when a site
#: is published (else the map's premises layer is said not to be loaded).
FILTER_CHOICES = f"""
SELECT list, slug, name FROM (
    SELECT 'kinds' AS list, slug, name, position FROM directory_organisationkind
    UNION ALL SELECT 'sectors', slug, name, position FROM directory_sector
    UNION ALL SELECT 'stages', slug, name, position FROM directory_stage
    UNION ALL SELECT 'legal_families', slug, name, position FROM directory_legalfamily
    UNION ALL SELECT 'quartiers', {AREA_SLUG}, a.name, 0 FROM cartography_referencearea a
        WHERE a.kind = 'quartier'
    UNION ALL SELECT DISTINCT 'area_kind', a.kind, '', 0 FROM cartography_referencearea a
    UNION ALL SELECT 'area_kind', '{QPV_CODES}', '', 0 WHERE {QPV_CODES_EXIST}
    UNION ALL SELECT 'place_services', slug, name, position FROM cartography_placeservicekind
    UNION ALL SELECT 'premises', 'published', '', 0 WHERE EXISTS (
        SELECT 1 FROM cartography_premises p
        WHERE p.publication_status = '{PublicationStatus.PUBLISHED}')
) choices ORDER BY list, position, name
"""  # noqa: S608 - fixed fragments


def sitemap_ranges(table: str) -> str:
    """The ranges of `%(size)s` ids of `table` holding at least one published row, in order:
    each range's number (id // size). A loose index scan: one step of the primary key per
    range, so that the sitemap neither counts the rows nor skips them with an OFFSET
    (1,000,000 organisations: the count 47 ms, the 200th page's OFFSET 437 ms; issue 20).
    `table` is a model's own table name, never a value."""
    return f"""
WITH RECURSIVE ranges(number) AS (
    SELECT (SELECT min(id) FROM {table} WHERE publication_status = %(published)s) / %(size)s
    UNION ALL
    SELECT (
        SELECT min(id) FROM {table}
        WHERE publication_status = %(published)s AND id >= (r.number + 1) * %(size)s
    ) / %(size)s
    FROM ranges r WHERE r.number IS NOT NULL
)
SELECT number FROM ranges WHERE number IS NOT NULL
"""  # noqa: S608 - a model's table name; values bound
