"""Raw SQL of the funding coverage (directory.selectors.funding), beside directory/sql.py:
bound parameters only."""

#: The coverage of the life cycle (`/financements/couverture/`) in one round trip, as rows
#: (table, row_id, stage_id, schemes, offers, actors, dedicated):
#: - "sector": per filière and stage, the live schemes and offers open to the filière (named,
#:   or no filière at all = every filière), their distinct published actors, and how many
#:   of them name the filière;
#: - "instrument": per instrument and stage, the live schemes offering it and their actors;
#: - "actor": per published funder or provider and stage, how many of its live schemes and
#:   offers cover the stage (stage_id NULL, count 0: an actor whose offers name no stage).
#: "Live": published; a scheme closed before %(today)s counts only if it comes back
#: (récurrente, permanente). Crossings without any offer have no row: they are gaps.
COVERAGE = """
WITH live AS (
    SELECT 'scheme' AS kind, s.id FROM directory_fundingscheme s
    WHERE s.publication_status = %(published)s
      AND NOT (s.closes_on IS NOT NULL AND s.closes_on < %(today)s
               AND s.recurrence NOT IN ('recurrente', 'permanente'))
    UNION ALL
    SELECT 'offer', o.id FROM directory_supportoffer o
    WHERE o.publication_status = %(published)s
),
offer_stages AS (
    SELECT 'scheme' AS kind, fundingscheme_id AS id, stage_id
    FROM directory_fundingscheme_stages
    UNION ALL
    SELECT 'offer', supportoffer_id, stage_id FROM directory_supportoffer_stages
),
offer_sectors AS (
    SELECT 'scheme' AS kind, fundingscheme_id AS id, sector_id
    FROM directory_fundingscheme_sectors
    UNION ALL
    SELECT 'offer', supportoffer_id, sector_id FROM directory_supportoffer_sectors
),
actors AS (
    SELECT 'scheme' AS kind, f.fundingscheme_id AS id, f.organisation_id AS actor_id
    FROM directory_fundingscheme_funders f
    JOIN directory_organisation org ON org.id = f.organisation_id
    WHERE org.publication_status = %(published)s
    UNION ALL
    SELECT 'offer', o.id, o.provider_id FROM directory_supportoffer o
    JOIN directory_organisation org ON org.id = o.provider_id
    WHERE org.publication_status = %(published)s
),
cover AS (
    SELECT l.kind, l.id, s.stage_id FROM live l JOIN offer_stages s USING (kind, id)
),
by_sector AS (
    SELECT sector.id AS row_id, c.stage_id, c.kind, c.id,
           EXISTS (SELECT 1 FROM offer_sectors x
                   WHERE (x.kind, x.id, x.sector_id) = (c.kind, c.id, sector.id)) AS named
    FROM directory_sector sector
    CROSS JOIN cover c
    WHERE NOT EXISTS (SELECT 1 FROM offer_sectors x WHERE (x.kind, x.id) = (c.kind, c.id))
       OR EXISTS (SELECT 1 FROM offer_sectors x
                  WHERE (x.kind, x.id, x.sector_id) = (c.kind, c.id, sector.id))
)
SELECT 'sector', b.row_id, b.stage_id,
       count(DISTINCT b.id) FILTER (WHERE b.kind = 'scheme'),
       count(DISTINCT b.id) FILTER (WHERE b.kind = 'offer'),
       count(DISTINCT a.actor_id),
       count(DISTINCT b.kind || b.id) FILTER (WHERE b.named)
FROM by_sector b
LEFT JOIN actors a USING (kind, id)
GROUP BY b.row_id, b.stage_id
UNION ALL
SELECT 'instrument', i.fundinginstrument_id, c.stage_id,
       count(DISTINCT c.id), 0, count(DISTINCT a.actor_id), 0
FROM cover c
JOIN directory_fundingscheme_instruments i ON c.kind = 'scheme' AND i.fundingscheme_id = c.id
LEFT JOIN actors a ON (a.kind, a.id) = (c.kind, c.id)
GROUP BY i.fundinginstrument_id, c.stage_id
UNION ALL
SELECT 'actor', a.actor_id, s.stage_id, count(s.stage_id), 0, 0, 0
FROM live l
JOIN actors a USING (kind, id)
LEFT JOIN offer_stages s USING (kind, id)
GROUP BY a.actor_id, s.stage_id
"""
