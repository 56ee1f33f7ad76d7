"""Raw SQL of the credits (directory.selectors.credit), beside directory/sql.py: bound
parameters only."""

#: The newest `%(rows)s` history rows of each organisation of `%(ids)s`, newest first, by
#: organisation (directory.selectors.credit: who typed a value). Written out because
#: compiling the ORM's window query cost more than running it (issue 20).
TYPED_HISTORY = """
SELECT * FROM (
    SELECT h.*, row_number() OVER (
        PARTITION BY h.id ORDER BY h.history_date DESC, h.history_id DESC) AS rank
    FROM directory_historicalorganisation h
    WHERE h.id = ANY(%(ids)s)
) ranked
WHERE rank <= %(rows)s
ORDER BY id, history_date DESC, history_id DESC
"""

#: Whether a person (not an import) ever saved the organisation `{id}` (a column of the
#: outer query): when none of a page did, the credits read no history (issue 20).
HAS_TYPED_HISTORY = """EXISTS (SELECT 1 FROM directory_historicalorganisation h
    WHERE h.id = {id} AND h.history_user_id IS NOT NULL)"""

#: What each source said of the organisations `%(ids)s` (of content type `%(content_type)s`),
#: oldest first: the provenance, the date a run last saw it (`last_seen`, the rule of
#: `Provenance.objects.with_last_seen()`: written then, or only sighted unchanged since) and
#: its source, the values as json (psycopg parses it; Django has jsonb read as text). Not the
#: raw record (about a kilobyte of JSON for a SIRENE row) nor its hash:
#: the credits read what the import wrote. Written out because compiling the ORM's query
#: cost three times running it, on every page of the API (issue 20).
FACT_SOURCES = """
SELECT p.object_id, p.external_id, p.first_seen_at,
    greatest(p.last_seen_at, (
        SELECT s.seen_at FROM directory_provenancesighting s
        WHERE p.id::bigint <@ ANY(s.provenance_ids) AND s.source_id = p.source_id
        ORDER BY s.seen_at DESC LIMIT 1)) AS last_seen,
    p.imported_values::json,
    src.name, src.url, src.licence, src.licence_url, src.data_dated, src.slug
FROM importers_provenance p
JOIN importers_source src ON src.id = p.source_id
WHERE p.content_type_id = %(content_type)s AND p.object_id = ANY(%(ids)s)
ORDER BY p.first_seen_at, p.id
"""
