"""SQL of the sightings: an import run that finds records unchanged writes one
directory_provenancesighting row for all of them (their provenance ids folded into
ranges), instead of rewriting each provenance's last-seen date. See
directory.models.ProvenanceSighting; readers use Provenance.objects.with_last_seen().
"""

#: The provenance ids `ids` (a bigint[] parameter), seen unchanged by a run of source
#: `source_id` at `now`: nothing is written when there are none.
SIGHT_IDS = """
INSERT INTO directory_provenancesighting (source_id, seen_at, provenance_ids)
SELECT %(source_id)s, %(now)s, array(SELECT unnest(folded.ranges))
FROM (
    SELECT range_agg(int8range(id, id, '[]')) AS ranges FROM unnest(%(ids)s::bigint[]) id
) folded
WHERE folded.ranges IS NOT NULL
"""

#: The bulk merge's unchanged records, and those a person deleted (importers.engine.sql.merge).
SIGHT_STAGED = """
INSERT INTO directory_provenancesighting (source_id, seen_at, provenance_ids)
SELECT %(source_id)s, %(now)s, array(SELECT unnest(folded.ranges))
FROM (
    SELECT range_agg(int8range(prov_id, prov_id, '[]')) AS ranges
    FROM import_stage WHERE prov_id IS NOT NULL AND outcome IN ('unchanged', 'deleted')
) folded
WHERE folded.ranges IS NOT NULL
"""

#: Keep the newest `kept` sightings of source `source_id`. Before the older ones go, each
#: provenance they hold that no kept sighting holds gets the newest of their dates in
#: `last_seen_at` (when later than its own): "vue le", the later of `last_seen_at` and the
#: newest sighting holding the id, is the same before and after. One statement.
SIGHTINGS_PRUNE = """
WITH ranked AS (
    SELECT id, seen_at, provenance_ids,
        row_number() OVER (ORDER BY seen_at DESC, id DESC) AS rank
    FROM directory_provenancesighting
    WHERE source_id = %(source_id)s
), pruned AS (
    SELECT id, seen_at, provenance_ids FROM ranked WHERE rank > %(kept)s
), kept AS (
    SELECT provenance_ids FROM ranked WHERE rank <= %(kept)s
), latest AS (
    SELECT p.id, max(pruned.seen_at) AS seen_at
    FROM pruned
    CROSS JOIN LATERAL unnest(pruned.provenance_ids) AS held(ids)
    JOIN importers_provenance p ON p.source_id = %(source_id)s
        AND p.id >= lower(held.ids) AND p.id < upper(held.ids)
    WHERE NOT EXISTS (SELECT 1 FROM kept WHERE p.id::bigint <@ ANY(kept.provenance_ids))
    GROUP BY p.id
), written AS (
    UPDATE importers_provenance p SET last_seen_at = latest.seen_at
    FROM latest
    WHERE p.id = latest.id AND p.last_seen_at < latest.seen_at
)
DELETE FROM directory_provenancesighting s USING pruned WHERE s.id = pruned.id
"""
