"""Raw SQL of the text search over funding schemes and support offers (the unified search
`/recherche/`, the lists and the API), beside the organisations' in directory/sql.py.

Same matching as the directory: the full-text queries are computed once
(`sql.SEARCH_TSQUERY`: exact words and ESS synonyms, then typo widening) and bound as values.
"""

#: The tables searched, by the name the selectors use; their stage link table and its column.
OFFER_TABLES = {
    "scheme": ("directory_fundingscheme", "directory_fundingscheme_stages", "fundingscheme_id"),
    "offer": ("directory_supportoffer", "directory_supportoffer_stages", "supportoffer_id"),
}

_NAME_KEY = "cartess_unaccent(lower(o.name))"


def offer_text_matches(*, table: str, with_stage: bool) -> str:
    """Ids of the published rows of `table` (a key of `OFFER_TABLES`) matching the search,
    best first, at most `count_cap`: exact or synonym matches (tier 1), then matches through
    a typo widening (2), each by ts_rank, then names only close to the query (trigrams, 3).
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
SELECT id FROM (SELECT * FROM fts UNION ALL SELECT * FROM fuzzy) m
ORDER BY tier, score DESC, id
LIMIT %(count_cap)s
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters


#: How many of the given schemes (`%(scheme_ids)s`) and offers (`%(offer_ids)s`) cover each
#: stage: (slug, name, count), in the life cycle's order, zeros included.
STAGE_COUNTS = """
SELECT st.slug, st.name,
    (SELECT count(*) FROM directory_fundingscheme_stages x
     WHERE x.stage_id = st.id AND x.fundingscheme_id = ANY(%(scheme_ids)s))
  + (SELECT count(*) FROM directory_supportoffer_stages x
     WHERE x.stage_id = st.id AND x.supportoffer_id = ANY(%(offer_ids)s))
FROM directory_stage st
ORDER BY st.position, st.name
"""


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
