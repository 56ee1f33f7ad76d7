"""Raw SQL of the pathway (STYLE rule 12): bound parameters only, spatial tests in PostGIS."""

from directory.sql import AREA_SLUG

#: The project's place: a point (lon/lat) or a reference area (by id), NULL when neither.
_PLACE = """
place AS (
    SELECT coalesce(
        CASE WHEN %(lon)s::float8 IS NULL THEN NULL
             ELSE ST_SetSRID(ST_MakePoint(%(lon)s::float8, %(lat)s::float8), 4326) END,
        (SELECT geometry FROM cartography_referencearea WHERE id = %(area_id)s::int)
    ) AS g
)"""

#: For every territory outline of every offer: the share of the place inside it, as PostGIS
#: measures it. A point is inside (1) or not (0); an area counts by surface, since outlines
#: from different sources never nest exactly (the IGN commune and the city's quartiers differ
#: by a few metres). NULL when the place is unknown. Narrowest outlines first.
TERRITORY_SHARES = f"""
WITH {_PLACE},
links AS (
    SELECT 'scheme' AS model, fundingscheme_id AS offer_id, referencearea_id
    FROM directory_fundingscheme_territory_areas
    UNION ALL
    SELECT 'offer', supportoffer_id, referencearea_id FROM directory_supportoffer_territory_areas
)
SELECT l.model, l.offer_id, a.name, a.kind,
    CASE WHEN p.g IS NULL THEN NULL
         WHEN GeometryType(p.g) = 'POINT' THEN ST_Covers(a.geometry, p.g)::int::float8
         WHEN NOT ST_Intersects(a.geometry, p.g) THEN 0
         ELSE ST_Area(ST_Intersection(a.geometry, p.g)) / nullif(ST_Area(p.g), 0) END AS share
FROM links l
JOIN cartography_referencearea a ON a.id = l.referencearea_id
CROSS JOIN place p
ORDER BY ST_Area(a.geometry), a.name
"""  # noqa: S608 - a fixed fragment; values are bound parameters

#: A quartier (or QPV) by code or slug, with a point on its surface for distances.
AREA_BY_CODE_OR_SLUG = f"""
SELECT a.id, a.name, a.kind,
    ST_Y(ST_PointOnSurface(a.geometry)), ST_X(ST_PointOnSurface(a.geometry))
FROM cartography_referencearea a
WHERE a.kind = ANY(%(kinds)s::text[])
  AND (a.code = %(value)s OR {AREA_SLUG} = %(value)s)
ORDER BY a.kind, a.code
LIMIT 1
"""  # noqa: S608 - a fixed fragment; values are bound parameters

#: Whether a point lies in the territory Cartess covers (the commune of Lille, 59350).
POINT_IN_LILLE = """
SELECT bool_or(ST_Covers(a.geometry, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)))
FROM cartography_referencearea a WHERE a.kind = 'commune' AND a.code = %(code)s
"""

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
