"""SQL of the `sirene` source (importers.sources.sirene): its three staging tables, and the
SELECT that joins them into the rows of import_stage (importers.engine.sql.merge)."""

from importers.engine.sql.merge import stage_insert

#: The staging tables of the three SIRENE files: the identifiers, the mapped values, and
#: the raw record (the selected columns as the file gives them, JSON built by the reader)
#: with its md5. COPY writes them in this column order.
SIRENE_TABLES = {
    "sirene_etablissement": (
        ("row_number", "integer"), ("siret", "text"), ("siren", "text"),
        ("own_name", "text"), ("street", "text"), ("address_complement", "text"),
        ("postcode", "text"), ("city", "text"), ("insee_code", "text"), ("naf_code", "text"),
        ("raw", "jsonb"), ("hash", "text"),
    ),
    "sirene_unite_legale": (
        ("row_number", "integer"), ("siren", "text"), ("name", "text"), ("acronym", "text"),
        ("legal_category_code", "text"), ("legal_family", "text"), ("rna_id", "text"),
        ("head_nic", "text"), ("raw", "jsonb"), ("hash", "text"),
    ),
    "sirene_geolocalisation": (
        ("row_number", "integer"), ("siret", "text"), ("x", "double precision"),
        ("y", "double precision"), ("srid", "integer"), ("reason", "text"),
        ("qpv_code", "text"), ("raw", "jsonb"), ("hash", "text"),
    ),
}  # fmt: skip


def sirene_columns(table: str) -> tuple[str, ...]:
    """The columns of the SIRENE staging table `table`, in COPY order."""
    return tuple(name for name, _type in SIRENE_TABLES[table])


#: ON COMMIT DROP does not fire when the run is a savepoint of an outer transaction (tests,
#: a caller's atomic block): the tables are also dropped explicitly, before and after.
DROP_SIRENE_TABLES = (
    "DROP TABLE IF EXISTS sirene_etablissement, sirene_unite_legale, sirene_geolocalisation"
)
CREATE_SIRENE_TABLES = ";\n".join(
    f"CREATE TEMP TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns)}) "
    "ON COMMIT DROP"
    for table, columns in SIRENE_TABLES.items()
)

#: Remove the points refused while reading the geolocation file; return those of the
#: établissements the run merges (kept, of an active ESS unité légale).
SIRENE_GEOLOCALISATION_REFUSED = """
WITH refused AS (DELETE FROM sirene_geolocalisation g WHERE g.reason <> '' RETURNING g.*)
SELECT g.row_number, g.siret, g.reason
FROM refused g
WHERE EXISTS (
    SELECT 1 FROM sirene_etablissement e JOIN sirene_unite_legale u ON u.siren = e.siren
    WHERE e.siret = g.siret)
ORDER BY g.row_number
"""

#: Identifiers staged twice in a file (checked first: it is rare, and cheap to check).
SIRENE_HAS_DUPLICATES = """
SELECT EXISTS (SELECT 1 FROM sirene_unite_legale GROUP BY siren HAVING count(*) > 1)
    OR EXISTS (SELECT 1 FROM sirene_geolocalisation GROUP BY siret HAVING count(*) > 1)
"""

#: Later copies of an identifier already staged (unités légales, geolocation: the
#: établissements' are refused as they are read): returned for a warning, then removed.
#: Ranked by one sort (a self-join on the identifier would pair every copy with every
#: other: 100,000 copies of one SIRET made 10^10 pairs).
_DUPLICATES = """
    DELETE FROM {table} t USING (
        SELECT ctid FROM (
            SELECT ctid, row_number() OVER (PARTITION BY {key} ORDER BY row_number) AS rank
            FROM {table}
        ) ranked WHERE rank > 1
    ) later
    WHERE t.ctid = later.ctid
    RETURNING t.row_number, t.{key}"""
SIRENE_DUPLICATES = {
    "unites_legales": _DUPLICATES.format(table="sirene_unite_legale", key="siren"),
    "geolocalisation": _DUPLICATES.format(table="sirene_geolocalisation", key="siret"),
}

#: The join columns only (see ANALYZE_STAGE).
ANALYZE_SIRENE = (
    "ANALYZE sirene_etablissement (siret, siren, naf_code); ANALYZE sirene_unite_legale "
    "(siren); ANALYZE sirene_geolocalisation (siret)"
)

#: Établissements of an active ESS unité légale, a column for each staged field of
#: import_stage (importers.engine.sql.merge), with their point in EPSG:4326 (the SRID was
#: checked against the accepted list by the mapper), the sectors of their NAF code
#: (directory Sector.naf_prefixes) and the QPV code of their point (`plg_qp24`, cleaned by
#: the reader: "" outside a QPV; a point refused or random gives none). The name is the
#: unité légale's (empty for an entrepreneur individuel), else the établissement's own.
#: The RNA id names the unité légale: it goes to its siège only (it is unique in the
#: directory). SIRENE knows no description, legal form, geocoding score, website, e-mail
#: or phone: it says "not known" (OrganisationData's empty values), as a row-by-row
#: mapper would.
_SIRENE_INCOMING = """
WITH naf_sectors AS (
    SELECT n.naf_code, array_agg(DISTINCT sector.slug ORDER BY sector.slug) AS sectors
    FROM (SELECT DISTINCT naf_code FROM sirene_etablissement) n
    JOIN directory_sector sector ON EXISTS (
        SELECT 1 FROM unnest(sector.naf_prefixes) prefix
        WHERE n.naf_code <> '' AND starts_with(n.naf_code, prefix))
    GROUP BY n.naf_code
)
SELECT e.row_number, e.siret AS external_id,
    coalesce(nullif(u.name, ''), nullif(e.own_name, '')) AS name,
    u.acronym, u.legal_category_code, u.legal_family, 'ess' AS ess_status,
    'sirene' AS ess_status_source, e.siren, e.siret,
    CASE WHEN e.siret = e.siren || u.head_nic THEN u.rna_id ELSE '' END AS rna_id,
    e.naf_code, e.street, e.address_complement, e.postcode, e.city, e.insee_code,
    CASE WHEN g.srid IS NULL THEN NULL
        ELSE ST_Transform(ST_SetSRID(ST_MakePoint(g.x, g.y), g.srid), 4326) END AS location,
    CASE WHEN g.srid IS NULL THEN '' ELSE 'source' END AS geocoding_quality,
    NULL::double precision AS geocoding_score, coalesce(g.qpv_code, '') AS qpv_code,
    '' AS description, '' AS legal_form,
    '' AS website, '' AS email, '' AS phone,
    ARRAY['entreprise-ess'] AS kinds, coalesce(ns.sectors, '{}') AS sectors,
    e.raw || u.raw || coalesce(g.raw, '{}') AS raw,
    md5(e.hash || u.hash || coalesce(g.hash, '')) AS content_hash
FROM sirene_etablissement e
JOIN sirene_unite_legale u ON u.siren = e.siren
LEFT JOIN sirene_geolocalisation g ON g.siret = e.siret
LEFT JOIN naf_sectors ns ON ns.naf_code = e.naf_code
"""
STAGE_SIRENE = stage_insert(_SIRENE_INCOMING)

#: Établissements in the territory whose unité légale is not an active ESS one.
COUNT_SIRENE_NOT_ESS = """
SELECT count(*) FROM sirene_etablissement e
WHERE NOT EXISTS (SELECT 1 FROM sirene_unite_legale u WHERE u.siren = e.siren)
"""
