"""SQL of the bulk merge (importers.engine.bulk): staging, new organisations, decisions,
provenance.

The bulk path stages mapped organisations in a temporary table (`import_stage`, dropped at
the end of the run's transaction) and merges them into `directory_organisation`, its kinds
and sectors, and `importers_provenance` with a few set-based statements. Every value comes
in as a bound parameter (`%(name)s`); the only identifiers are the fixed ones below.

The human-edit rule is the one of `importers.engine.loading.plan_fields`, written in SQL over
the JSON snapshots of the fields (`new_values`, `current_values`, `previous`): a field is
written when it still holds what this source wrote last time, or when it is empty and
this source never wrote it; otherwise the current value is kept, reported, and recorded
as a disagreement (importers.engine.sql.review.DISAGREEMENTS_RECORD). The point and its
geocoding quality are one field for this rule (see CREATE_DECISIONS).
"""

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

#: One row per record to merge, with the values in the shape of OrganisationData, what the
#: source said (`raw`), and what matching found: the provenance and organisation, the values
#: this source wrote last time (`previous`, only when the record is mapped again) and the
#: outcome known at once ("unchanged", "deleted" by a person, "rejected" without a name).
CREATE_STAGE = """
CREATE TEMP TABLE import_stage (
    row_number integer NOT NULL,
    external_id text NOT NULL,
    name text,
    acronym text NOT NULL,
    legal_category_code text NOT NULL,
    legal_family text NOT NULL,
    ess_status text NOT NULL,
    ess_status_source text NOT NULL,
    siren text NOT NULL,
    siret text NOT NULL,
    rna_id text NOT NULL,
    naf_code text NOT NULL,
    street text NOT NULL,
    address_complement text NOT NULL,
    postcode text NOT NULL,
    city text NOT NULL,
    insee_code text NOT NULL,
    location geometry(Point, 4326),
    geocoding_quality text NOT NULL,
    kinds text[] NOT NULL,
    sectors text[] NOT NULL,
    raw jsonb NOT NULL,
    content_hash text NOT NULL,
    org_id bigint,
    prov_id bigint,
    previous jsonb,
    outcome text
) ON COMMIT DROP
"""

#: The values of a staged row `s` as JSON, in the shape of OrganisationLoader.snapshot_data
#: (what Provenance.imported_values remembers).
_STAGED_VALUES = """jsonb_build_object(
    'name', s.name, 'acronym', s.acronym, 'legal_category_code', s.legal_category_code,
    'legal_family', s.legal_family, 'ess_status', s.ess_status,
    'ess_status_source', s.ess_status_source, 'siren', s.siren, 'siret', s.siret,
    'rna_id', s.rna_id, 'naf_code', s.naf_code, 'street', s.street,
    'address_complement', s.address_complement, 'postcode', s.postcode, 'city', s.city,
    'insee_code', s.insee_code, 'geocoding_quality', s.geocoding_quality,
    'location', CASE WHEN s.location IS NULL THEN 'null'::jsonb ELSE jsonb_build_array(
        round(ST_X(s.location)::numeric, 7), round(ST_Y(s.location)::numeric, 7)) END,
    'kinds', to_jsonb(s.kinds), 'sectors', to_jsonb(s.sectors))"""

#: The same values read from the organisation `o` (its legal family joined as `family`).
_CURRENT_VALUES = """jsonb_build_object(
    'name', o.name, 'acronym', o.acronym, 'legal_category_code', o.legal_category_code,
    'legal_family', coalesce(family.slug, ''), 'ess_status', o.ess_status,
    'ess_status_source', o.ess_status_source, 'siren', o.siren, 'siret', o.siret,
    'rna_id', o.rna_id, 'naf_code', o.naf_code, 'street', o.street,
    'address_complement', o.address_complement, 'postcode', o.postcode, 'city', o.city,
    'insee_code', o.insee_code, 'geocoding_quality', o.geocoding_quality,
    'location', CASE WHEN o.location IS NULL THEN 'null'::jsonb ELSE jsonb_build_array(
        round(ST_X(o.location)::numeric, 7), round(ST_Y(o.location)::numeric, 7)) END,
    'kinds', coalesce((
        SELECT jsonb_agg(k.slug ORDER BY k.slug)
        FROM directory_organisation_kinds ok
        JOIN directory_organisationkind k ON k.id = ok.organisationkind_id
        WHERE ok.organisation_id = o.id), '[]'::jsonb),
    'sectors', coalesce((
        SELECT jsonb_agg(t.slug ORDER BY t.slug)
        FROM directory_organisation_sectors os
        JOIN directory_sector t ON t.id = os.sector_id
        WHERE os.organisation_id = o.id), '[]'::jsonb))"""

#: Stage the rows of `incoming` (a source's SELECT, in the column order of import_stage up
#: to `content_hash`, a digest of `raw`) and match them: this source's provenance, else the
#: organisation with the same SIRET. A record is mapped again (not "unchanged") when its
#: content changed, when another `mapping_version` mapped it, or when the run must `remap`.
_STAGE_TEMPLATE = """
INSERT INTO import_stage
SELECT i.*, coalesce(p.object_id, o.id), p.id,
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
"""


def stage_insert(incoming: str) -> str:
    """The staging statement for `incoming`, a SELECT constant of this module."""
    return _STAGE_TEMPLATE.replace("INCOMING", incoming)


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
CREATE_NEW = """
CREATE TEMP TABLE import_new ON COMMIT DROP AS
SELECT named.*, nextval(pg_get_serial_sequence('directory_organisation', 'id')) AS org_id
FROM (
    SELECT r.external_id, r.kinds, r.sectors, CASE
        WHEN r.rank = 1 AND NOT EXISTS (
            SELECT 1 FROM directory_organisation o WHERE o.slug = r.base) THEN r.base
        ELSE r.base || '-' || lower(regexp_replace(r.external_id, '[^A-Za-z0-9]+', '-', 'g'))
    END AS slug
    FROM (
        SELECT b.*, row_number() OVER (PARTITION BY b.base ORDER BY b.external_id) AS rank
        FROM (
            SELECT s.external_id, s.kinds, s.sectors,
                coalesce(nullif(left(trim(BOTH '-' FROM regexp_replace(
                    lower(public.cartess_unaccent(s.name)), '[^a-z0-9]+', '-', 'g')), 200), ''),
                    'fiche') AS base
            FROM import_stage s WHERE s.org_id IS NULL AND s.outcome IS NULL
        ) b
    ) r
    ORDER BY r.base, r.external_id
) named
"""

#: Insert the new organisations with the ids import_new drew from the sequence.
INSERT_ORGANISATIONS = """
INSERT INTO directory_organisation (
    id, name, slug, acronym, description, legal_family_id, legal_category_code, legal_form,
    ess_status, ess_status_source, siren, siret, rna_id, naf_code, street,
    address_complement, postcode, city, insee_code, location, geocoding_quality,
    geocoding_score, website, email, phone, publication_status, last_verified_on,
    created_at, updated_at
)
SELECT n.org_id, s.name, n.slug, s.acronym, '', family.id, s.legal_category_code, '',
    s.ess_status, s.ess_status_source, s.siren, s.siret, s.rna_id, s.naf_code, s.street,
    s.address_complement, s.postcode, s.city, s.insee_code, s.location,
    s.geocoding_quality, NULL, '', '', '', 'publie', NULL, %(now)s, %(now)s
FROM import_stage s
JOIN import_new n ON n.external_id = s.external_id
LEFT JOIN directory_legalfamily family ON family.slug = s.legal_family
ORDER BY n.org_id
"""

ANALYZE_NEW = "ANALYZE import_new"

ADD_NEW_KINDS = """
INSERT INTO directory_organisation_kinds (organisation_id, organisationkind_id)
SELECT n.org_id, k.id FROM import_new n, unnest(n.kinds) term
JOIN directory_organisationkind k ON k.slug = term
"""

ADD_NEW_SECTORS = """
INSERT INTO directory_organisation_sectors (organisation_id, sector_id)
SELECT n.org_id, t.id FROM import_new n, unnest(n.sectors) term
JOIN directory_sector t ON t.slug = term
"""

INSERT_NEW_PROVENANCES = "".join(
    (
        """
INSERT INTO importers_provenance (
    source_id, external_id, content_type_id, object_id, content_hash, mapping_version, raw,
    imported_values, first_seen_at, last_seen_at, last_run_id
)
SELECT %(source_id)s, s.external_id, %(content_type_id)s, n.org_id, s.content_hash,
    %(mapping_version)s, s.raw,
    """,
        _STAGED_VALUES,
        """, %(now)s, %(now)s, %(run_id)s
FROM import_stage s
JOIN import_new n ON n.external_id = s.external_id
""",
    )
)

COUNT_NEW = "SELECT count(*) FROM import_new"

#: After a run that created records, the statistics of the columns the next run joins on
#: (PostgreSQL's advice after a bulk load). Without them, a table that autovacuum analyzed
#: while this run was still writing looks empty to the planner, and the next run's staging
#: joins it row by row (seen: minutes instead of seconds for 100,000 rows).
ANALYZE_WRITTEN = (
    "ANALYZE importers_provenance (source_id, external_id, content_type_id, object_id); "
    "ANALYZE directory_organisation (siret, rna_id, slug)"
)

# --- Existing organisations: the human-edit rule -------------------------------------------

#: Field by field, for the staged rows matched to an organisation whose content changed
#: (or that this source never wrote): write (w), remember (imported) and keep. Sets (kinds,
#: sectors) only gain terms, and a term a person removed (in `previous`, no longer current)
#: is not added back. The point and its geocoding quality are one field for the rule (the
#: model requires them together: a point without its quality, or the reverse, breaks
#: `organisation_point_has_quality`): both are decided on the pair (`*_unit`), so both are
#: written or both kept; each of the two that differs from the source is reported, and
#: recorded as a disagreement. The pair is empty when there is no point. As in
#: importers.engine.review.disagreements_between, a source without a value for a field (null, "",
#: []) does not disagree with a person's: it merely does not know it.
CREATE_DECISIONS = "".join(
    (
        """
CREATE TEMP TABLE import_decision ON COMMIT DROP AS
WITH changed AS MATERIALIZED (
    SELECT s.external_id, s.org_id, s.prov_id, s.previous,
        """,
        _STAGED_VALUES,
        """ AS new_values,
        """,
        _CURRENT_VALUES,
        """ AS current_values
    FROM import_stage s
    JOIN directory_organisation o ON o.id = s.org_id
    LEFT JOIN directory_legalfamily family ON family.id = o.legal_family_id
    WHERE s.outcome IS NULL
), fields AS (
    SELECT c.external_id, c.org_id, c.prov_id, n.key, n.value AS new,
        c.current_values -> n.key AS cur, c.previous -> n.key AS prev,
        n.key IN ('kinds', 'sectors') AS is_set,
        n.key IN ('location', 'geocoding_quality') AS is_point, c.new_values, c.current_values,
        c.previous
    FROM changed c, jsonb_each(c.new_values) n
), units AS (
    SELECT f.external_id, f.org_id, f.prov_id, f.key, f.new, f.cur, f.prev, f.is_set,
        CASE WHEN f.is_point THEN jsonb_build_array(
            f.new_values -> 'location', f.new_values -> 'geocoding_quality') ELSE f.new END
            AS new_unit,
        CASE WHEN f.is_point THEN jsonb_build_array(
            f.current_values -> 'location', f.current_values -> 'geocoding_quality') ELSE f.cur
        END AS cur_unit,
        CASE WHEN f.is_point THEN jsonb_build_array(
            f.previous -> 'location', f.previous -> 'geocoding_quality') ELSE f.prev END
            AS prev_unit,
        coalesce(CASE WHEN f.is_point THEN f.previous ?& ARRAY['location', 'geocoding_quality']
            ELSE f.previous ? f.key END, false) AS has_prev,
        CASE WHEN f.is_point THEN f.current_values -> 'location' = 'null'
            ELSE f.cur IN ('""', 'null', '[]') OR (f.key = 'ess_status' AND f.cur = '"inconnu"')
        END AS empty
    FROM fields f
), decided AS (
    SELECT f.*, CASE
        WHEN f.is_set THEN EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(f.new) t(term)
            WHERE NOT f.cur ? t.term AND NOT (f.has_prev AND f.prev ? t.term))
        WHEN f.cur = f.new THEN false
        WHEN NOT f.has_prev THEN f.empty
        ELSE f.cur_unit = f.prev_unit
    END AS w,
    CASE
        WHEN f.is_set THEN f.has_prev AND EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(f.new) t(term)
            WHERE f.prev ? t.term AND NOT f.cur ? t.term)
        ELSE f.cur_unit <> f.new_unit AND NOT (
            (NOT f.has_prev AND f.empty) OR (f.has_prev AND f.cur_unit = f.prev_unit))
    END AS held
    FROM units f
), reported AS (
    SELECT d.*, d.held AND (d.is_set OR d.cur <> d.new) AS kept FROM decided d
)
SELECT external_id, org_id, prov_id,
    coalesce(jsonb_object_agg(key, new) FILTER (WHERE w), '{}') AS write,
    coalesce(jsonb_object_agg(key, CASE WHEN held AND NOT is_set THEN prev ELSE new END)
        FILTER (WHERE NOT (held AND NOT has_prev AND NOT is_set)), '{}') AS imported,
    coalesce(array_agg(key ORDER BY key) FILTER (WHERE kept), '{}') AS kept,
    coalesce(jsonb_object_agg(key, jsonb_build_object('current', cur, 'incoming', new,
        'previous', prev)) FILTER (WHERE kept AND new NOT IN ('null', '""', '[]')), '{}')
        AS disagreements
FROM reported
GROUP BY external_id, org_id, prov_id
""",
    )
)

UPDATE_ORGANISATIONS = """
UPDATE directory_organisation o SET
    name = CASE WHEN d.write ? 'name' THEN s.name ELSE o.name END,
    acronym = CASE WHEN d.write ? 'acronym' THEN s.acronym ELSE o.acronym END,
    legal_category_code = CASE WHEN d.write ? 'legal_category_code'
        THEN s.legal_category_code ELSE o.legal_category_code END,
    legal_family_id = CASE WHEN d.write ? 'legal_family' THEN (
        SELECT family.id FROM directory_legalfamily family WHERE family.slug = s.legal_family
    ) ELSE o.legal_family_id END,
    ess_status = CASE WHEN d.write ? 'ess_status' THEN s.ess_status ELSE o.ess_status END,
    ess_status_source = CASE WHEN d.write ? 'ess_status_source'
        THEN s.ess_status_source ELSE o.ess_status_source END,
    siren = CASE WHEN d.write ? 'siren' THEN s.siren ELSE o.siren END,
    siret = CASE WHEN d.write ? 'siret' THEN s.siret ELSE o.siret END,
    rna_id = CASE WHEN d.write ? 'rna_id' THEN s.rna_id ELSE o.rna_id END,
    naf_code = CASE WHEN d.write ? 'naf_code' THEN s.naf_code ELSE o.naf_code END,
    street = CASE WHEN d.write ? 'street' THEN s.street ELSE o.street END,
    address_complement = CASE WHEN d.write ? 'address_complement'
        THEN s.address_complement ELSE o.address_complement END,
    postcode = CASE WHEN d.write ? 'postcode' THEN s.postcode ELSE o.postcode END,
    city = CASE WHEN d.write ? 'city' THEN s.city ELSE o.city END,
    insee_code = CASE WHEN d.write ? 'insee_code' THEN s.insee_code ELSE o.insee_code END,
    location = CASE WHEN d.write ? 'location' THEN s.location ELSE o.location END,
    geocoding_quality = CASE WHEN d.write ? 'geocoding_quality'
        THEN s.geocoding_quality ELSE o.geocoding_quality END,
    updated_at = %(now)s
FROM import_decision d
JOIN import_stage s ON s.external_id = d.external_id
WHERE o.id = d.org_id AND (d.write - 'kinds' - 'sectors') <> '{}'
"""

ADD_KINDS = """
INSERT INTO directory_organisation_kinds (organisation_id, organisationkind_id)
SELECT d.org_id, k.id
FROM import_decision d
JOIN import_stage s ON s.external_id = d.external_id
CROSS JOIN LATERAL unnest(s.kinds) term
JOIN directory_organisationkind k ON k.slug = term
WHERE d.write ? 'kinds' AND NOT coalesce(s.previous -> 'kinds' ? term, false)
ON CONFLICT DO NOTHING
"""

ADD_SECTORS = """
INSERT INTO directory_organisation_sectors (organisation_id, sector_id)
SELECT d.org_id, t.id
FROM import_decision d
JOIN import_stage s ON s.external_id = d.external_id
CROSS JOIN LATERAL unnest(s.sectors) term
JOIN directory_sector t ON t.slug = term
WHERE d.write ? 'sectors' AND NOT coalesce(s.previous -> 'sectors' ? term, false)
ON CONFLICT DO NOTHING
"""

KEPT_FIELDS = """
SELECT d.external_id, k FROM import_decision d, unnest(d.kept) k
ORDER BY d.external_id, k LIMIT %(limit)s
"""

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

#: Unchanged records, and those a person deleted, are only "seen" by this run.
TOUCH_PROVENANCES = """
UPDATE importers_provenance p SET last_seen_at = %(now)s, last_run_id = %(run_id)s
FROM import_stage s
WHERE p.id = s.prov_id AND s.outcome IN ('unchanged', 'deleted')
"""

COUNT_UNCHANGED = """
SELECT count(*) FROM import_stage WHERE outcome IN ('unchanged', 'deleted')
"""
