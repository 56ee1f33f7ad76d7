"""SQL of the bulk merge (importers.engine.bulk): staging, new organisations, decisions,
writes, provenance.

The bulk path stages mapped organisations in a temporary table (`import_stage`, dropped at
the end of the run's transaction) and merges them into `directory_organisation`, its kinds
and sectors, and `importers_provenance` with a few set-based statements. Every value comes
in as a bound parameter (`%(name)s`); the identifiers are the fixed ones below, and the
organisation's fields those of importers.engine.sql.fields, generated from the loader's list.

The human-edit rule is not written here: for the staged rows matched to an existing
organisation whose content changed, TO_DECIDE reads the JSON snapshots the rule compares
(`previous`, `new_values`, `current_values`), importers.engine.bulk applies the row-by-row
path's own rule to them (importers.engine.human_edits.plan_record) and COPYs its decisions into
`import_decision`, from which the statements below write the organisations, their terms,
the provenances and the disagreements (importers.engine.sql.review).
"""

from importers.engine.sql.fields import (
    ASSIGNMENTS,
    COLUMNS,
    CURRENT_VALUES,
    STAGE_COLUMNS,
    STAGED_VALUES,
    TERMS,
    WRITES_COLUMNS,
)

# --- Session -------------------------------------------------------------------------------

#: Temporary tables live in the session's local buffers (8 MB by default): a national file
#: needs more. PostgreSQL refuses it after the session's first temporary table (see bulk).
SESSION_SETTINGS = "SET temp_buffers = '256MB'"
#: Hash joins over a million staged rows, and no JIT: compiling the long expressions of
#: these statements costs more than it saves (measured: about 1 s per statement). The run's
#: commit does not wait for its WAL to reach the disk: a crash in that instant loses the
#: run as if it never happened (the database stays consistent, and the import can be run
#: again), never part of it. All revert when the run's transaction ends.
TRANSACTION_SETTINGS = (
    "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL synchronous_commit = off"
)

# --- Staging -------------------------------------------------------------------------------

#: One row per record to merge, with the values in the shape of OrganisationData (the
#: fields of importers.engine.sql.fields), what the source said (`raw`, with its digest),
#: and what matching found: the provenance and organisation, the values this source wrote
#: last time (`previous`, only when the record is mapped again) and the outcome known at
#: once ("unchanged", "deleted" by a person, "rejected" without a name).
_INCOMING_COLUMNS = (
    ("row_number", "integer NOT NULL"),
    ("external_id", "text NOT NULL"),
    *STAGE_COLUMNS,
    ("raw", "jsonb NOT NULL"),
    ("content_hash", "text NOT NULL"),
)
_MATCH_COLUMNS = (
    ("org_id", "bigint"),
    ("prov_id", "bigint"),
    ("previous", "jsonb"),
    ("outcome", "text"),
)
CREATE_STAGE = (
    "CREATE TEMP TABLE import_stage (\n    "
    + ",\n    ".join(f"{name} {kind}" for name, kind in (*_INCOMING_COLUMNS, *_MATCH_COLUMNS))
    + "\n) ON COMMIT DROP"
)
_INCOMING_NAMES = [name for name, _kind in _INCOMING_COLUMNS]

#: Stage the rows of `incoming` (a source's SELECT naming a column for each of
#: _INCOMING_COLUMNS, `content_hash` a digest of `raw`) and match them: this source's
#: provenance, else the organisation with the same SIRET. A record is mapped again (not
#: "unchanged") when its content changed, when another `mapping_version` mapped it, or when
#: the run must `remap`.
_STAGE_TEMPLATE = f"""
INSERT INTO import_stage ({", ".join(_INCOMING_NAMES)}, org_id, prov_id, previous, outcome)
SELECT {", ".join(f"i.{name}" for name in _INCOMING_NAMES)}, coalesce(p.object_id, o.id), p.id,
    CASE WHEN p.content_hash IS DISTINCT FROM i.content_hash
        OR p.mapping_version <> %(mapping_version)s OR %(remap)s THEN p.imported_values END,
    CASE
        WHEN coalesce(i.name, '') = '' THEN 'rejected'
        WHEN p.id IS NOT NULL AND kept.id IS NULL THEN 'deleted'
        WHEN p.content_hash = i.content_hash AND p.mapping_version = %(mapping_version)s
            AND NOT %(remap)s THEN 'unchanged'
    END
FROM (INCOMING) i
LEFT JOIN importers_provenance p ON p.source_id = %(source_id)s
    AND p.external_id = i.external_id AND p.content_type_id = %(content_type_id)s
LEFT JOIN directory_organisation kept ON kept.id = p.object_id
LEFT JOIN directory_organisation o ON p.id IS NULL AND i.siret <> '' AND o.siret = i.siret
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound


def stage_insert(incoming: str) -> str:
    """The staging statement for `incoming`, a SELECT constant of importers.engine.sql."""
    return _STAGE_TEMPLATE.replace("(INCOMING)", f"({incoming})")


#: Statistics of the columns the merge joins and filters on only: sampling the raw JSON
#: costs more than the rest of the table.
ANALYZE_STAGE = "ANALYZE import_stage (external_id, org_id, prov_id, outcome, rna_id)"
#: See importers.engine.sql.sirene.DROP_SIRENE_TABLES.
DROP_STAGE = "DROP TABLE IF EXISTS import_stage, import_new, import_decision"

REJECTED = """
SELECT row_number, external_id, raw FROM import_stage WHERE outcome = 'rejected'
ORDER BY row_number
"""

#: A record a person deleted, then made again with the same SIRET: this source's
#: provenance moves to the new organisation, forgetting what it wrote to the old one (it
#: never wrote the new one, so it only fills its blanks).
REATTACH = """
WITH moved AS (
    UPDATE importers_provenance p SET object_id = o.id, imported_values = '{}'
    FROM import_stage s
    JOIN directory_organisation o ON s.siret <> '' AND o.siret = s.siret
    WHERE s.outcome = 'deleted' AND p.id = s.prov_id
    RETURNING p.id, o.id AS org_id
)
UPDATE import_stage s SET org_id = m.org_id, previous = '{}', outcome = NULL
FROM moved m
WHERE s.prov_id = m.id
"""

DELETED = """
SELECT external_id FROM import_stage WHERE outcome = 'deleted' ORDER BY external_id
"""

#: The same RNA id, on an organisation without SIRET, is the same organisation.
MATCH_RNA = """
UPDATE import_stage s SET org_id = o.id
FROM directory_organisation o
WHERE s.prov_id IS NULL AND s.org_id IS NULL AND s.outcome IS NULL AND s.rna_id <> ''
  AND o.rna_id = s.rna_id AND o.rna_id <> '' AND o.siret = ''
"""

#: An RNA id another organisation holds is not given twice (it is unique in the directory).
DROP_TAKEN_RNA = """
UPDATE import_stage s SET rna_id = ''
WHERE s.rna_id <> '' AND s.outcome IS NULL AND EXISTS (
    SELECT 1 FROM directory_organisation o
    WHERE o.rna_id = s.rna_id AND o.rna_id <> '' AND o.id IS DISTINCT FROM s.org_id
)
"""

#: Two staged rows naming the same RNA id (a data error upstream): the first keeps it.
DROP_DUPLICATE_RNA = """
UPDATE import_stage s SET rna_id = ''
FROM import_stage t
WHERE s.rna_id <> '' AND s.outcome IS NULL AND t.outcome IS NULL
  AND t.rna_id = s.rna_id AND t.row_number < s.row_number
"""

# --- New organisations, then their kinds, sectors and provenance ---------------------------

#: The slug of each new organisation, computed on a narrow table (sorting the wide staged
#: rows would spill to disk): like Django's slugify (ASCII, lowercase, dashes); a base slug
#: already taken, or shared by several new rows, gets the external id appended
#: ("nom-12345678900012"). The terms ride along, for the statements that follow. Each new
#: organisation takes its id from the table's own sequence now, in name order (the order
#: the window already sorted them in), so that the rows can be inserted in that order
#: without reading their ids back: the slug and name indexes then fill page after page
#: instead of at random.
CREATE_NEW = f"""
CREATE TEMP TABLE import_new ON COMMIT DROP AS
SELECT named.*, nextval(pg_get_serial_sequence('directory_organisation', 'id')) AS org_id
FROM (
    SELECT r.external_id, {", ".join(f"r.{name}" for name in TERMS)}, CASE
        WHEN r.rank = 1 AND NOT EXISTS (
            SELECT 1 FROM directory_organisation o WHERE o.slug = r.base) THEN r.base
        ELSE r.base || '-' || lower(regexp_replace(r.external_id, '[^A-Za-z0-9]+', '-', 'g'))
    END AS slug
    FROM (
        SELECT b.*, row_number() OVER (PARTITION BY b.base ORDER BY b.external_id) AS rank
        FROM (
            SELECT s.external_id, {", ".join(f"s.{name}" for name in TERMS)},
                coalesce(nullif(left(trim(BOTH '-' FROM regexp_replace(
                    lower(public.cartess_unaccent(s.name)), '[^a-z0-9]+', '-', 'g')), 200), ''),
                    'fiche') AS base
            FROM import_stage s WHERE s.org_id IS NULL AND s.outcome IS NULL
        ) b
    ) r
    ORDER BY r.base, r.external_id
) named
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound

#: Insert the new organisations with the ids import_new drew from the sequence.
INSERT_ORGANISATIONS = f"""
INSERT INTO directory_organisation (
    id, slug, legal_family_id, {", ".join(COLUMNS)},
    publication_status, last_verified_on, created_at, updated_at
)
SELECT n.org_id, n.slug, family.id, {", ".join(f"s.{name}" for name in COLUMNS)},
    'publie', NULL, %(now)s, %(now)s
FROM import_stage s
JOIN import_new n ON n.external_id = s.external_id
LEFT JOIN directory_legalfamily family ON family.slug = s.legal_family
ORDER BY n.org_id
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound

ANALYZE_NEW = "ANALYZE import_new"

#: The terms of the new organisations, one statement per many-to-many field.
ADD_NEW_TERMS = tuple(
    f"""
INSERT INTO {link} (organisation_id, {term_column})
SELECT n.org_id, t.id FROM import_new n, unnest(n.{name}) term
JOIN {terms} t ON t.slug = term
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound
    for name, (link, term_column, terms) in TERMS.items()
)

#: A new organisation's provenance remembers every value the source gave (as the
#: row-by-row path's OrganisationLoader.snapshot_data).
INSERT_NEW_PROVENANCES = f"""
INSERT INTO importers_provenance (
    source_id, external_id, content_type_id, object_id, content_hash, mapping_version, raw,
    imported_values, first_seen_at, last_seen_at, last_run_id
)
SELECT %(source_id)s, s.external_id, %(content_type_id)s, n.org_id, s.content_hash,
    %(mapping_version)s, s.raw, {STAGED_VALUES}, %(now)s, %(now)s, %(run_id)s
FROM import_stage s
JOIN import_new n ON n.external_id = s.external_id
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound

COUNT_NEW = "SELECT count(*) FROM import_new"

#: After a run that created records, the statistics of the columns the next run joins on
#: (PostgreSQL's advice after a bulk load). Without them, a table that autovacuum analyzed
#: while this run was still writing looks empty to the planner, and the next run's staging
#: joins it row by row (seen: minutes instead of seconds for 100,000 rows).
ANALYZE_WRITTEN = (
    "ANALYZE importers_provenance (source_id, external_id, content_type_id, object_id); "
    "ANALYZE directory_organisation (siret, rna_id, slug)"
)

# --- Existing organisations: the human-edit rule's decisions, then the writes -------------

#: What the human-edit rule compares, for each staged row matched to an existing
#: organisation whose content changed (or that this source never wrote): what this source
#: wrote last time (`previous`, NULL when it never wrote the organisation), what it says
#: now (`new_values`) and what the organisation holds (`current_values`), in the shape of
#: OrganisationLoader's snapshots. Read in batches by importers.engine.bulk.
TO_DECIDE = f"""
SELECT s.external_id, s.org_id, s.prov_id, s.previous,
    {STAGED_VALUES} AS new_values,
    {CURRENT_VALUES} AS current_values
FROM import_stage s
JOIN directory_organisation o ON o.id = s.org_id
LEFT JOIN directory_legalfamily family ON family.id = o.legal_family_id
WHERE s.outcome IS NULL
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound

#: The decisions importers.engine.bulk COPYs, one per row of TO_DECIDE: the fields to
#: write (terms to add, for many-to-many fields), what the provenance remembers as
#: imported, the fields a person's value kept, and the disagreements to record
#: ({field: {current, incoming, previous}}).
DECISION_COLUMNS = (
    ("external_id", "text NOT NULL"),
    ("org_id", "bigint NOT NULL"),
    ("prov_id", "bigint"),
    ("write", "jsonb NOT NULL"),
    ("imported", "jsonb NOT NULL"),
    ("kept", "text[] NOT NULL"),
    ("disagreements", "jsonb NOT NULL"),
)
CREATE_DECISIONS = (
    "CREATE TEMP TABLE import_decision ("
    + ", ".join(f"{name} {kind}" for name, kind in DECISION_COLUMNS)
    + ") ON COMMIT DROP"
)
#: The join columns only (see ANALYZE_STAGE).
ANALYZE_DECISIONS = "ANALYZE import_decision (external_id, org_id, prov_id)"

#: Write the fields each decision names, from the staged row.
UPDATE_ORGANISATIONS = f"""
UPDATE directory_organisation o SET
    {ASSIGNMENTS},
    updated_at = %(now)s
FROM import_decision d
JOIN import_stage s ON s.external_id = d.external_id
WHERE o.id = d.org_id AND {WRITES_COLUMNS}
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound

#: Add the terms each decision names (a term a person removed is not among them), one
#: statement per many-to-many field.
ADD_TERMS = tuple(
    f"""
INSERT INTO {link} (organisation_id, {term_column})
SELECT d.org_id, t.id
FROM import_decision d
CROSS JOIN LATERAL jsonb_array_elements_text(d.write -> '{name}') term
JOIN {terms} t ON t.slug = term
WHERE d.write ? '{name}'
ON CONFLICT DO NOTHING
"""  # noqa: S608 - identifiers of importers.engine.sql.fields, values bound
    for name, (link, term_column, terms) in TERMS.items()
)

#: (updated, unchanged) among the decided rows: a record merged into an organisation this
#: source never wrote counts as updated, like in the row-by-row path.
COUNT_DECISIONS = """
SELECT count(*) FILTER (WHERE prov_id IS NULL OR write <> '{}'),
    count(*) FILTER (WHERE prov_id IS NOT NULL AND write = '{}')
FROM import_decision
"""

# --- Provenance ----------------------------------------------------------------------------

INSERT_MERGED_PROVENANCES = """
INSERT INTO importers_provenance (
    source_id, external_id, content_type_id, object_id, content_hash, mapping_version, raw,
    imported_values, first_seen_at, last_seen_at, last_run_id
)
SELECT %(source_id)s, s.external_id, %(content_type_id)s, d.org_id, s.content_hash,
    %(mapping_version)s, s.raw, d.imported, %(now)s, %(now)s, %(run_id)s
FROM import_decision d
JOIN import_stage s ON s.external_id = d.external_id
WHERE d.prov_id IS NULL
"""

UPDATE_PROVENANCES = """
UPDATE importers_provenance p SET
    content_hash = s.content_hash, mapping_version = %(mapping_version)s, raw = s.raw,
    imported_values = d.imported, last_seen_at = %(now)s, last_run_id = %(run_id)s
FROM import_decision d
JOIN import_stage s ON s.external_id = d.external_id
WHERE p.id = d.prov_id
"""

#: Unchanged records, and those a person deleted, are only "seen" by this run: one
#: sighting for all of them (importers.engine.sql.sightings), no provenance rewritten.
COUNT_UNCHANGED = """
SELECT count(*) FROM import_stage WHERE outcome IN ('unchanged', 'deleted')
"""
