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
