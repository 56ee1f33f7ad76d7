"""SQL of what the imports leave to a person (importers.engine.review): possible duplicates,
and the disagreements the bulk merge found (importers.engine.bulk)."""

#: Two organisations `x` and `y` whose identifiers do not tell them apart: not both a SIRET
#: (unique: two SIRETs are two établissements), not both an RNA id, not two SIRENs.
_NOT_TOLD_APART = """(x.siret = '' OR y.siret = '')
      AND NOT (x.rna_id <> '' AND y.rna_id <> '')
      AND NOT (x.siren <> '' AND y.siren <> '' AND x.siren <> y.siren)"""

#: Trigram similarity of two folded (lower case, unaccented) texts.
_FOLDED_SIMILARITY = """similarity(public.cartess_unaccent(lower({a})),
                   public.cartess_unaccent(lower({b})))"""

#: Refresh the possible duplicates in one statement, in time and pairs linear in the number
#: of organisations. A pair qualifies when nothing in the identifiers tells them apart and
#: either they share a SIREN (one of them without SIRET: the head office and one of its
#: établissements, or one listing twice), or the folded names are close (trigram similarity
#: >= `threshold`) and their places are close: both points within `distance` metres or,
#: when one has no point, close street names in the same commune (distance unknown).
#: `x` is the side without a SIRET, so that a register of SIRET holders (SIRENE) costs
#: nothing here. Pairs of the same SIREN, or of the same folded name close by (within
#: `distance`, or in the same commune when one has no point), are all listed, up to
#: `complete` per `x` (a bound against a pathological file, not a choice). For the other
#: close names each `x` keeps only its `neighbours` nearest (or most similar, without a
#: point) partners, through a LATERAL subquery with ORDER BY ... LIMIT: the GiST index walks
#: the points nearest first (`<->`, with the bounding box `degrees`), so 2,000 similar names
#: in one street give at most 2,000 x `neighbours` pairs, not 2 million. At most `cap` pairs
#: are kept, the closest names first; `capped` says the cap was reached. Pending pairs that
#: no longer qualify are dropped (those the registers' pass proposed, `found_by` "registre",
#: are its own); pairs a person reviewed stay as they are. Returns the number of pairs
#: found.
#: Unless `full`, only what changed since `since` (an import run's start) is re-examined:
#: the organisations updated since then (`changed`) and, as the `x` side, the listings
#: without SIRET that one of them could be a partner of (`scope`: a similar name within the
#: box and nothing telling the two apart, the same SIREN, or a similar name in the same
#: commune when one has no point). Each `x` of the scope is examined as the full refresh
#: examines it, so every pair it would list with a changed organisation is found; only the
#: pending pairs of a changed organisation can be dropped (a pair of two unchanged listings
#: that a new, closer similar name pushed out of one's `neighbours` nearest stays listed
#: for a person). The reverse, rarer, waits for the weekly full search (`manage.py
#: find_duplicates`): a listing that moves away or is renamed leaves its former neighbours
#: unexamined, so a pair it had pushed out of their `neighbours` nearest is not listed
#: again by the run. A run that touches one listing of a million examines its few similar
#: neighbours, not every listing around it (issue 20: 4,672 examined, 6.2 s, for 44 listings
#: changed in a city centre of the 1,000,000-organisation bench; now 53, 0.14 s).
#: Written once, run as DUPLICATES_REFRESH_ALL or DUPLICATES_REFRESH_SINCE (below).
_DUPLICATES_REFRESH = "".join(
    (
        """
WITH changed AS (
    SELECT id, location, siret, siren, rna_id, insee_code, name FROM directory_organisation
    WHERE NOT %(full)s AND updated_at >= %(since)s
), scope AS (
    SELECT id FROM changed
    UNION
    SELECT x.id FROM changed y
    JOIN directory_organisation x ON x.location && ST_Expand(y.location, %(degrees)s)
    WHERE x.siret = '' AND x.id <> y.id
      AND """,
        _NOT_TOLD_APART,
        """
      AND """,
        _FOLDED_SIMILARITY.format(a="x.name", b="y.name"),
        """ >= %(threshold)s
    UNION
    SELECT x.id FROM changed y
    JOIN directory_organisation x ON x.siren = y.siren
    WHERE y.siren <> '' AND x.siren <> '' AND x.siret = ''
    UNION
    SELECT x.id FROM changed y
    JOIN directory_organisation x ON x.insee_code = y.insee_code
    WHERE y.insee_code <> '' AND x.insee_code <> '' AND x.siret = ''
      AND (x.location IS NULL OR y.location IS NULL)
      AND public.cartess_unaccent(lower(x.name)) %% public.cartess_unaccent(lower(y.name))
), near AS (
    SELECT x.id AS x_id, n.id AS y_id, n.distance
    FROM directory_organisation x
    CROSS JOIN LATERAL (
        SELECT y.id, ST_Distance(x.location::geography, y.location::geography) AS distance
        FROM directory_organisation y
        WHERE y.id <> x.id AND y.location && ST_Expand(x.location, %(degrees)s)
          AND """,
        _NOT_TOLD_APART,
        """
          AND """,
        _FOLDED_SIMILARITY.format(a="x.name", b="y.name"),
        """ >= %(threshold)s
        ORDER BY y.location <-> x.location
        LIMIT %(neighbours)s
    ) n
    WHERE x.siret = '' AND x.location IS NOT NULL AND n.distance <= %(distance)s
      AND (%(full)s OR x.id IN (SELECT id FROM scope))
), unplaced AS (
    SELECT x.id AS x_id, n.id AS y_id, NULL::double precision AS distance
    FROM directory_organisation x
    CROSS JOIN LATERAL (
        SELECT y.id
        FROM directory_organisation y
        WHERE y.id <> x.id AND y.insee_code = x.insee_code AND y.insee_code <> ''
          AND y.street <> ''
          AND (x.location IS NULL OR y.location IS NULL)
          AND public.cartess_unaccent(lower(y.name)) %% public.cartess_unaccent(lower(x.name))
          AND """,
        _NOT_TOLD_APART,
        """
          AND """,
        _FOLDED_SIMILARITY.format(a="x.name", b="y.name"),
        """ >= %(threshold)s
          AND """,
        _FOLDED_SIMILARITY.format(a="x.street", b="y.street"),
        """ >= %(threshold)s
        ORDER BY """,
        _FOLDED_SIMILARITY.format(a="x.name", b="y.name"),
        """ DESC, y.id
        LIMIT %(neighbours)s
    ) n
    WHERE x.siret = '' AND x.insee_code <> '' AND x.street <> ''
      AND (%(full)s OR x.id IN (SELECT id FROM scope))
), same_siren AS (
    SELECT x.id AS x_id, n.id AS y_id, n.distance
    FROM directory_organisation x
    CROSS JOIN LATERAL (
        SELECT y.id, ST_Distance(x.location::geography, y.location::geography) AS distance
        FROM directory_organisation y
        WHERE y.siren = x.siren AND y.siren <> '' AND y.id <> x.id
          AND NOT (x.rna_id <> '' AND y.rna_id <> '')
        ORDER BY y.location <-> x.location NULLS LAST, y.id
        LIMIT %(complete)s
    ) n
    WHERE x.siret = '' AND x.siren <> ''
      AND (%(full)s OR x.id IN (SELECT id FROM scope))
), same_name AS (
    SELECT x.id AS x_id, n.id AS y_id, n.distance
    FROM directory_organisation x
    CROSS JOIN LATERAL (
        SELECT y.id, ST_Distance(x.location::geography, y.location::geography) AS distance
        FROM directory_organisation y
        WHERE y.id <> x.id
          AND public.cartess_unaccent(lower(y.name)) %% public.cartess_unaccent(lower(x.name))
          AND public.cartess_unaccent(lower(y.name)) = public.cartess_unaccent(lower(x.name))
          AND ((x.location IS NOT NULL AND y.location && ST_Expand(x.location, %(degrees)s))
               OR ((x.location IS NULL OR y.location IS NULL)
                   AND x.insee_code <> '' AND y.insee_code = x.insee_code
                   AND y.insee_code <> ''))
          AND """,
        _NOT_TOLD_APART,
        """
        ORDER BY y.location <-> x.location NULLS LAST, y.id
        LIMIT %(complete)s
    ) n
    WHERE x.siret = '' AND (n.distance IS NULL OR n.distance <= %(distance)s)
      AND (%(full)s OR x.id IN (SELECT id FROM scope))
), found AS (
    SELECT * FROM (
        SELECT DISTINCT ON (least(p.x_id, p.y_id), greatest(p.x_id, p.y_id))
            least(p.x_id, p.y_id) AS a, greatest(p.x_id, p.y_id) AS b, p.distance,
            """,
        _FOLDED_SIMILARITY.format(a="x.name", b="y.name"),
        """ AS similarity
        FROM (
            SELECT * FROM near UNION ALL SELECT * FROM unplaced UNION ALL SELECT * FROM same_siren
            UNION ALL SELECT * FROM same_name
        ) p
        JOIN directory_organisation x ON x.id = p.x_id
        JOIN directory_organisation y ON y.id = p.y_id
        ORDER BY least(p.x_id, p.y_id), greatest(p.x_id, p.y_id), p.distance NULLS LAST
    ) pairs
    ORDER BY similarity DESC, distance NULLS LAST, a, b
    LIMIT %(cap)s
), dropped AS (
    DELETE FROM importers_duplicatecandidate c
    WHERE c.status = %(pending)s AND c.found_by = %(nearby)s
      AND (%(full)s OR c.organisation_a_id IN (SELECT id FROM changed)
          OR c.organisation_b_id IN (SELECT id FROM changed))
      AND NOT EXISTS (
        SELECT 1 FROM found f WHERE f.a = c.organisation_a_id AND f.b = c.organisation_b_id)
), kept AS (
    INSERT INTO importers_duplicatecandidate (
        organisation_a_id, organisation_b_id, similarity, distance_m, status, found_at, found_by
    )
    SELECT f.a, f.b, f.similarity, f.distance, %(pending)s, %(now)s, %(nearby)s FROM found f
    ON CONFLICT (organisation_a_id, organisation_b_id) DO UPDATE
        SET similarity = excluded.similarity, distance_m = excluded.distance_m
    RETURNING status
)
SELECT count(*) FROM kept
""",
    )
)

_IN_SCOPE = "(%(full)s OR x.id IN (SELECT id FROM scope))"
#: The refresh over every organisation (`full`): no scope to test each one against.
DUPLICATES_REFRESH_ALL = _DUPLICATES_REFRESH.replace(f"AND {_IN_SCOPE}", "")
#: The refresh over what changed since `since` only: each branch's `x` is a listing of
#: the scope, which PostgreSQL can then read by its id. Written `full OR ...`, the test was a
#: filter over every organisation, four scans of the whole directory (issue 20: 9.1 -> 6.6 s
#: at 1,000,000 organisations for a run that changed 44, in a directory without any SIRET,
#: where 3,551 listings were within reach of them). The `<> ''` beside each join on a SIREN
#: or a commune code say nothing new of the rows; they state what the partial indexes hold
#: (directory.0043), so that PostgreSQL reads them rather than the table.
DUPLICATES_REFRESH_SINCE = _DUPLICATES_REFRESH.replace(_IN_SCOPE, "x.id IN (SELECT id FROM scope)")

DUPLICATES_PENDING = "SELECT count(*) FROM importers_duplicatecandidate WHERE status = %(pending)s"

#: Before a DUPLICATES_REFRESH_SINCE: how many organisations the run changed, counted up to
#: the share past which their statistics are gathered again (ORGANISATIONS_ANALYZE), with
#: the number of rows and whether they were ever gathered. The share is autovacuum's own
#: (`autovacuum_analyze_threshold` 50 + `autovacuum_analyze_scale_factor` 0.1 of the rows),
#: which cannot see a run's writes before it commits.
ORGANISATIONS_CHANGED = """
WITH stats AS (
    SELECT 50 + greatest(reltuples, 0)::bigint / 10 AS enough, reltuples < 0 AS never
    FROM pg_class WHERE oid = 'directory_organisation'::regclass
)
SELECT (SELECT count(*) FROM (
            SELECT 1 FROM directory_organisation WHERE updated_at >= %(since)s
            LIMIT (SELECT enough + 1 FROM stats)) c),
       (SELECT enough FROM stats), (SELECT never FROM stats)
"""

#: Before a DUPLICATES_REFRESH_*: the statistics of the organisations, as they are now.
ORGANISATIONS_ANALYZE = "ANALYZE directory_organisation"

#: Before DISAGREEMENTS_RECORD: an open disagreement on a field the source no longer disputes
#: for a record it said again (now agreeing, or without a value) is dropped, as in
#: importers.engine.review.disagreements_record.
DISAGREEMENTS_DROP_STALE = """
DELETE FROM importers_fielddisagreement f
USING import_decision d
JOIN importers_provenance p ON p.source_id = %(source_id)s
    AND p.external_id = d.external_id AND p.content_type_id = %(content_type_id)s
WHERE f.provenance_id = p.id AND f.status = %(open)s AND NOT d.disagreements ? f.field
"""

#: After the bulk merge: each field a person's value kept (import_decision.disagreements,
#: {field: {current, incoming, previous}}) refreshes the open disagreement of its
#: provenance and field, or opens one, unless a person already accepted or dismissed this
#: very source value. Returns the number of disagreements opened.
DISAGREEMENTS_RECORD = """
WITH found AS (
    SELECT p.id AS provenance_id, k.key AS field, k.value -> 'current' AS current_value,
        k.value -> 'incoming' AS incoming_value,
        nullif(k.value -> 'previous', 'null') AS previous_value
    FROM (SELECT * FROM import_decision WHERE disagreements <> '{}') d
    JOIN importers_provenance p ON p.source_id = %(source_id)s
        AND p.external_id = d.external_id AND p.content_type_id = %(content_type_id)s
    CROSS JOIN LATERAL jsonb_each(d.disagreements) k
), refreshed AS (
    UPDATE importers_fielddisagreement f SET current_value = x.current_value,
        incoming_value = x.incoming_value, run_id = %(run_id)s
    FROM found x
    WHERE f.provenance_id = x.provenance_id AND f.field = x.field AND f.status = %(open)s
    RETURNING f.provenance_id, f.field
), opened AS (
    INSERT INTO importers_fielddisagreement (
        provenance_id, field, current_value, incoming_value, previous_value, run_id, status,
        found_at
    )
    SELECT x.provenance_id, x.field, x.current_value, x.incoming_value, x.previous_value,
        %(run_id)s, %(open)s, %(now)s
    FROM found x
    WHERE NOT EXISTS (
        SELECT 1 FROM refreshed r WHERE r.provenance_id = x.provenance_id AND r.field = x.field
    ) AND NOT EXISTS (
        SELECT 1 FROM importers_fielddisagreement f
        WHERE f.provenance_id = x.provenance_id AND f.field = x.field
          AND f.status <> %(open)s AND f.incoming_value = x.incoming_value
    )
    RETURNING 1
)
SELECT count(*) FROM opened
"""
