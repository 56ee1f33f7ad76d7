"""Raw SQL of the text search over funding schemes and support offers (the unified search
`/recherche/`, the lists and the API) and over places (the unified search), beside the
organisations' in directory/sql.py.

Same matching as the directory: the full-text queries are computed once
(`sql.SEARCH_TSQUERY`: exact words and ESS synonyms, then typo widening) and bound as values.
"""

from directory.sql import AREA_SLUG

#: The tables searched, by the name the selectors use; their stage link table and its column.
OFFER_TABLES = {
    "scheme": ("directory_fundingscheme", "directory_fundingscheme_stages", "fundingscheme_id"),
    "offer": ("directory_supportoffer", "directory_supportoffer_stages", "supportoffer_id"),
}

_NAME_KEY = "cartess_unaccent(lower(o.name))"


def offer_text_matches(*, table: str, with_stage: bool) -> str:
    """Ids of the published rows of `table` (a key of `OFFER_TABLES`) matching the search,
    best first (with their tier and score), at most `count_cap`: exact or synonym matches
    (tier 1), then matches through a typo widening (2), each by ts_rank, then names only
    close to the query (trigrams, 3).
    With `with_stage`, only those covering the stage `%(stage)s` (a slug).
    """
    name, stages, column = OFFER_TABLES[table]
    stage = (
        f"""AND EXISTS (SELECT 1 FROM {stages} x JOIN directory_stage st ON st.id = x.stage_id
            WHERE x.{column} = o.id AND st.slug = %(stage)s)"""  # noqa: S608 - fixed names
        if with_stage
        else ""
    )
    return f"""
WITH fts AS MATERIALIZED (
    SELECT o.id,
        CASE WHEN o.search_vector @@ %(strict_tsquery)s::tsquery THEN 1 ELSE 2 END AS tier,
        ts_rank(o.search_vector, %(tsquery)s::tsquery) AS score
    FROM {name} o
    WHERE o.publication_status = %(published)s AND o.search_vector @@ %(tsquery)s::tsquery
      {stage}
    LIMIT %(count_cap)s
), fuzzy AS MATERIALIZED (
    SELECT o.id, 3 AS tier, word_similarity(%(q_folded)s, {_NAME_KEY}) AS score
    FROM {name} o
    WHERE o.publication_status = %(published)s AND %(q_folded)s <%% {_NAME_KEY}
      AND o.id NOT IN (SELECT id FROM fts) {stage}
    LIMIT %(count_cap)s
)
SELECT id, tier, score FROM (SELECT * FROM fts UNION ALL SELECT * FROM fuzzy) m
ORDER BY tier, score DESC, id
LIMIT %(count_cap)s
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


def offers_with_stage_counts() -> str:
    """The schemes' and the offers' matches (`offer_text_matches` of each, no stage) and the
    number of them covering each stage, in one statement instead of three (the unified
    search, issue 20). One row: the schemes' ids and the offers' ids, best first, as
    arrays; the stages as a JSON array of [slug, name, count] in the life cycle's order,
    zeros included."""
    schemes = offer_text_matches(table="scheme", with_stage=False)
    offers = offer_text_matches(table="offer", with_stage=False)
    return f"""
WITH scheme AS MATERIALIZED ({schemes}), offer AS MATERIALIZED ({offers})
SELECT
    ARRAY(SELECT id FROM scheme ORDER BY tier, score DESC, id),
    ARRAY(SELECT id FROM offer ORDER BY tier, score DESC, id),
    (SELECT json_agg(json_build_array(st.slug, st.name,
        (SELECT count(*) FROM directory_fundingscheme_stages x
         WHERE x.stage_id = st.id AND x.fundingscheme_id IN (SELECT id FROM scheme))
      + (SELECT count(*) FROM directory_supportoffer_stages x
         WHERE x.stage_id = st.id AND x.supportoffer_id IN (SELECT id FROM offer)))
        ORDER BY st.position, st.name)
     FROM directory_stage st)
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: The dictionary of typo widening (`directory_search_word`, first built by migration 0005
#: over the organisations): also the words of the published funding schemes and support
#: offers (name, presentation, eligibility), so that "subvension" finds "subvention".
#: A materialized view over these three tables: a later migration that changes the type of
#: one of the columns it reads must drop and recreate it.
CREATE_SEARCH_WORDS = """
DROP MATERIALIZED VIEW IF EXISTS directory_search_word;
CREATE MATERIALIZED VIEW directory_search_word AS
SELECT word, count(*) AS frequency
FROM (
    SELECT regexp_split_to_table(cartess_unaccent(lower(t.text)), '[^a-z0-9]+') AS word
    FROM (
        SELECT o.name || ' ' || o.acronym || ' ' || o.description AS text
        FROM directory_organisation o WHERE o.publication_status = 'publie'
        UNION ALL
        SELECT s.name || ' ' || s.description || ' ' || s.eligibility_text
        FROM directory_fundingscheme s WHERE s.publication_status = 'publie'
        UNION ALL
        SELECT s.name || ' ' || s.description || ' ' || s.eligibility_text
        FROM directory_supportoffer s WHERE s.publication_status = 'publie'
    ) AS t
) AS words
WHERE length(word) > 2
GROUP BY word;
CREATE UNIQUE INDEX directory_search_word_word_idx ON directory_search_word (word);
CREATE INDEX directory_search_word_trgm_idx ON directory_search_word USING gin (word gin_trgm_ops);
"""


# --- Places in the unified search (issue 17) ----------------------------------------------
#
# A place is a published, open organisation that says it is one (`place_roles`), is of kind
# tiers-lieu, or says what it offers (cartography's `PlaceService` rows, read here as tables:
# the directory imports no code of cartography).

#: A place's whole document: its listing's words and its services' (kind and conditions,
#: in the words a project holder types: "gratuit", "sur réservation"), the latter kept by
#: the database in `place_services_vector` (migration 0034: triggers on cartography's
#: service rows; NULL for a place without services). `organisation_place_document_idx`
#: indexes it for the places that have services, `organisation_search_idx` the others.
_PLACE_DOCUMENT = "o.search_vector || coalesce(o.place_services_vector, ''::tsvector)"

_PLACE_QUARTIER = f"""AND EXISTS (
        SELECT 1 FROM cartography_referencearea a
        WHERE a.kind = 'quartier' AND (a.code = %(quartier)s OR {AREA_SLUG} = %(quartier)s)
          AND ST_Intersects(a.geometry, o.location))"""  # noqa: S608 - a fixed fragment

_PLACE_SERVICE = """AND EXISTS (
        SELECT 1 FROM cartography_placeservice ps
        JOIN cartography_placeservicekind k ON k.id = ps.kind_id
        WHERE ps.organisation_id = o.id AND k.slug = %(service)s)"""


#: A place matching through its services' words too, in the form the partial GIN index
#: `organisation_place_document_idx` answers (its predicate: `place_services_vector IS NOT
#: NULL`, i.e. the place offers services).
_PLACE_SERVICES_MATCH = """(o.place_services_vector IS NOT NULL
      AND (o.search_vector || o.place_services_vector) @@ %(tsquery)s::tsquery)"""


def place_candidate_matches(*, with_quartier: bool, with_service: bool) -> str:
    """Ids of the places among the organisations' candidates, best first, at most
    `count_cap`: the candidates `%(candidate_ids)s` are the directory's text search of the
    same query (`sql.organisation_text_page`: its full-text matches, at most `count_cap`,
    then names close to the query), so the walk through the
    organisations is made once for both groups. To these come the places matching only
    through their services (`organisation_place_document_idx`), up to the highest full-text
    candidate's id `%(last_id)s` when the candidates stopped at the cap; these are read
    through that partial index, never in id order with a LIMIT (PostgreSQL then walked all
    1,000,000 organisations looking for them: 1.8 s). Tiers: a match of the place's
    document (listing and services) exact or synonym (1) or typo-widened (2), by ts_rank,
    then a candidate whose name only is close to the query (3). With `with_quartier`, only
    those inside the quartier `%(quartier)s` (code or slug); with `with_service`, only those
    offering the service `%(service)s` (a `PlaceServiceKind` slug). `%(candidate_ids)s` holds
    only the candidates that are places (`TextCandidates.place_ids`, marked by the
    candidates' own query).

    Before (issue 20), the places were a second search of their own, the first `count_cap`
    place matches by id: at 1,000,000 organisations (190,000 of them tiers-lieux) that walk
    took 110 to 200 ms a query, against 10 to 25 for the directory's.
    """
    quartier = _PLACE_QUARTIER if with_quartier else ""
    service = _PLACE_SERVICE if with_service else ""
    # The candidates are places (`sql.IS_PLACE_ROW`, `sql.IS_TIERS_LIEU`), published, open
    # and in the quartier already (the directory's filters); the ids come in as one array,
    # unnested once (an `= ANY(array)` of a thousand ids costs the planner more than the
    # lookups).
    return f"""
WITH candidate AS MATERIALIZED (
    SELECT o.id FROM unnest(%(candidate_ids)s::bigint[]) AS o(id) WHERE true {service}
), found AS MATERIALIZED (
    SELECT id FROM candidate
    UNION
    SELECT o.id FROM directory_organisation o
    WHERE {_PLACE_SERVICES_MATCH}
      AND o.id <= coalesce(%(last_id)s::bigint, o.id)
      AND o.publication_status = %(published)s AND o.closed_on IS NULL {quartier} {service}
), ranked AS (
    SELECT o.id,
        CASE WHEN {_PLACE_DOCUMENT} @@ %(strict_tsquery)s::tsquery THEN 1
            WHEN {_PLACE_DOCUMENT} @@ %(tsquery)s::tsquery THEN 2 ELSE 3 END AS tier,
        CASE WHEN {_PLACE_DOCUMENT} @@ %(tsquery)s::tsquery
            THEN ts_rank({_PLACE_DOCUMENT}, %(tsquery)s::tsquery)
            ELSE word_similarity(%(q_folded)s, {_NAME_KEY}) END AS score
    FROM found JOIN directory_organisation o ON o.id = found.id
)
SELECT id FROM ranked ORDER BY tier, score DESC, id LIMIT %(count_cap)s
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: Per kind of service, how many of the given places (`%(place_ids)s`) offer it, and whether
#: the query names it ("cuisine", "salle de réunion"): (slug, name, count, named), in the
#: taxonomy's order, zeros included.
PLACE_SERVICE_COUNTS = """
SELECT k.slug, k.name, count(ps.id),
    coalesce(to_tsvector('french_unaccent', k.name) @@ %(strict_tsquery)s::tsquery, false)
FROM cartography_placeservicekind k
LEFT JOIN cartography_placeservice ps
    ON ps.kind_id = k.id AND ps.organisation_id = ANY(%(place_ids)s)
GROUP BY k.id
ORDER BY k.position, k.name
"""

#: The names of a place's services, in the taxonomy's order (`{}` without any), kept by the
#: database in its row (migration 0042, beside `place_services_vector`; alias
#: `directory_organisation`, as an ORM annotation reads it: `directory.places.service_names`).
PLACE_SERVICE_NAMES = '"directory_organisation"."place_service_names"'

#: The code of a quartier given by code or slug, as `/lieux/` filters on it.
QUARTIER_CODE = f"""
SELECT a.code FROM cartography_referencearea a
WHERE a.kind = 'quartier' AND (a.code = %(quartier)s OR {AREA_SLUG} = %(quartier)s)
ORDER BY a.code LIMIT 1
"""  # noqa: S608 - a fixed fragment


# --- The typo dictionary as a table (migration 0031), refreshed in whole or in part --------
#
# `directory_search_word` (word, frequency): every word (unaccented, lower case, 3 characters
# or more) of the published organisations (name, acronym, presentation), funding schemes and
# support offers (name, presentation, eligibility) and of the places' services (kind and
# conditions). A table rather than the materialized view it was, so that an edit adds the
# words of the rows it changed without recomputing the whole directory's.

#: Migration 0031: the materialized view becomes a table with the same rows and indexes.
SEARCH_WORDS_VIEW_TO_TABLE = """
CREATE TABLE directory_search_word_table (word text PRIMARY KEY, frequency bigint NOT NULL);
INSERT INTO directory_search_word_table (word, frequency)
    SELECT word, frequency FROM directory_search_word;
DROP MATERIALIZED VIEW directory_search_word;
ALTER TABLE directory_search_word_table RENAME TO directory_search_word;
ALTER INDEX directory_search_word_table_pkey RENAME TO directory_search_word_pkey;
CREATE INDEX directory_search_word_trgm_idx ON directory_search_word USING gin (word gin_trgm_ops);
"""
SEARCH_WORDS_TABLE_TO_VIEW = "DROP TABLE directory_search_word;" + CREATE_SEARCH_WORDS

#: Which rows give their words: every published one, those of the given ids
#: (`%(organisation_ids)s`, `%(scheme_ids)s`, `%(offer_ids)s`; an organisation's place
#: services with it), or those changed since `%(since)s` (an import run's start).
_WORD_ROWS = {
    "all": {"organisation": "true", "scheme": "true", "offer": "true", "service": "true"},
    "ids": {
        "organisation": "o.id = ANY(%(organisation_ids)s)",
        "scheme": "s.id = ANY(%(scheme_ids)s)",
        "offer": "s.id = ANY(%(offer_ids)s)",
        "service": "o.id = ANY(%(organisation_ids)s)",
    },
    "since": {
        "organisation": "o.updated_at >= %(since)s",
        "scheme": "s.updated_at >= %(since)s",
        "offer": "s.updated_at >= %(since)s",
        "service": "(ps.updated_at >= %(since)s OR o.updated_at >= %(since)s)",
    },
}


def search_words_select(*, rows: str) -> str:
    """(word, frequency) of the rows `rows` names ("all", "ids" or "since", see `_WORD_ROWS`),
    published only."""
    where = _WORD_ROWS[rows]
    return f"""
SELECT word, count(*) AS frequency
FROM (
    SELECT regexp_split_to_table(cartess_unaccent(lower(t.text)), '[^a-z0-9]+') AS word
    FROM (
        SELECT o.name || ' ' || o.acronym || ' ' || o.description AS text
        FROM directory_organisation o
        WHERE o.publication_status = 'publie' AND {where["organisation"]}
        UNION ALL
        SELECT s.name || ' ' || s.description || ' ' || s.eligibility_text
        FROM directory_fundingscheme s
        WHERE s.publication_status = 'publie' AND {where["scheme"]}
        UNION ALL
        SELECT s.name || ' ' || s.description || ' ' || s.eligibility_text
        FROM directory_supportoffer s
        WHERE s.publication_status = 'publie' AND {where["offer"]}
        UNION ALL
        SELECT concat_ws(' ', k.name, ps.audience, ps.price, ps.details)
        FROM cartography_placeservice ps
        JOIN cartography_placeservicekind k ON k.id = ps.kind_id
        JOIN directory_organisation o ON o.id = ps.organisation_id
        WHERE o.publication_status = 'publie' AND {where["service"]}
    ) AS t
) AS words
WHERE length(word) > 2
GROUP BY word
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: The whole dictionary again (in the caller's transaction: readers see the old words until
#: it commits): words no longer used leave it, frequencies are exact.
SEARCH_WORDS_REFRESH = (
    "DELETE FROM directory_search_word",
    f"INSERT INTO directory_search_word (word, frequency) {search_words_select(rows='all')}",
)


def search_words_add(*, rows: str) -> str:
    """Add the words of `rows` ("ids" or "since") the dictionary does not have yet; the
    words it has keep their frequency until the next whole refresh."""
    return f"""
INSERT INTO directory_search_word (word, frequency) {search_words_select(rows=rows)}
ON CONFLICT (word) DO NOTHING
"""


# --- The cards of the search pages (`/annuaire/`, `/recherche/`) -----------------------------

#: The kinds, or the sectors, of the organisation `{id}` (a column of the outer query) as a
#: JSON array of [slug, name] in their taxonomy's order (position, name), as the models'
#: Meta ordering gives them.
KIND_TERMS = """coalesce((
        SELECT json_agg(json_build_array(k.slug, k.name) ORDER BY k.position, k.name)
        FROM directory_organisation_kinds ok
        JOIN directory_organisationkind k ON k.id = ok.organisationkind_id
        WHERE ok.organisation_id = {id}), '[]'::json)"""
SECTOR_TERMS = """coalesce((
        SELECT json_agg(json_build_array(s.slug, s.name) ORDER BY s.position, s.name)
        FROM directory_organisation_sectors os
        JOIN directory_sector s ON s.id = os.sector_id
        WHERE os.organisation_id = {id}), '[]'::json)"""

#: What a result card shows of each organisation `%(ids)s`, in one round trip instead of the
#: organisation, its kinds and its sectors read as models (issue 20: building them cost more
#: than the SQL): its columns, then its kinds and its sectors (`KIND_TERMS`, `SECTOR_TERMS`).
ORGANISATION_CARDS = f"""
SELECT o.id, o.slug, o.name, o.acronym, o.street, o.postcode, o.city, o.description,
    {KIND_TERMS.format(id="o.id")} AS kinds,
    {SECTOR_TERMS.format(id="o.id")} AS sectors
FROM directory_organisation o
WHERE o.id = ANY(%(ids)s)
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters

#: What the unified search shows of the funding schemes `%(scheme_ids)s` and the support
#: offers `%(offer_ids)s`, in one round trip instead of both read as models with the
#: schemes' stages prefetched (issue 20): rows (kind, id, slug, name, the scheme's stages
#: as `KIND_TERMS` gives kinds, the offer's provider's name, its provider label).
OFFER_ITEMS = """
SELECT 'scheme', s.id, s.slug, s.name, coalesce((
        SELECT json_agg(json_build_array(t.slug, t.name) ORDER BY t.position, t.name)
        FROM directory_fundingscheme_stages l JOIN directory_stage t ON t.id = l.stage_id
        WHERE l.fundingscheme_id = s.id), '[]'::json), NULL, NULL
FROM directory_fundingscheme s WHERE s.id = ANY(%(scheme_ids)s)
UNION ALL
SELECT 'offer', o.id, o.slug, o.name, NULL, p.name, o.provider_label
FROM directory_supportoffer o LEFT JOIN directory_organisation p ON p.id = o.provider_id
WHERE o.id = ANY(%(offer_ids)s)
"""
