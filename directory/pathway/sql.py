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


#: Every stage in order, then the legal family, sector, instruments and support kinds the
#: project names (unknown slugs give no row), in one round trip: (what, slug, name).
VOCABULARY = """
(SELECT 'stage', slug, name FROM directory_stage ORDER BY position, name)
UNION ALL
(SELECT 'family', slug, name FROM directory_legalfamily
 WHERE slug = %(family)s ORDER BY position, name)
UNION ALL
(SELECT 'sector', slug, name FROM directory_sector WHERE slug = %(sector)s ORDER BY position, name)
UNION ALL
(SELECT 'instrument', slug, name FROM directory_fundinginstrument
 WHERE slug = ANY(%(instruments)s) ORDER BY position, name)
UNION ALL
(SELECT 'kind', slug, name FROM directory_supportkind
 WHERE slug = ANY(%(kinds)s) ORDER BY position, name)
UNION ALL
(SELECT 'strategy', slug, name FROM directory_scaleupstrategy
 WHERE slug = %(strategy)s ORDER BY position, name)
"""


#: The slug and name of every term of the six taxonomies the pathway form offers, each in
#: its own order (`position`, then name), tagged with its table's name: the form's lists of
#: choices in one query (directory.pathway.forms._all_choices).
TAXONOMY_CHOICES = """
SELECT kind, slug, name FROM (
    SELECT 'directory_stage' AS kind, slug, name, position FROM directory_stage
    UNION ALL
    SELECT 'directory_scaleupstrategy', slug, name, position FROM directory_scaleupstrategy
    UNION ALL
    SELECT 'directory_legalfamily', slug, name, position FROM directory_legalfamily
    UNION ALL
    SELECT 'directory_sector', slug, name, position FROM directory_sector
    UNION ALL
    SELECT 'directory_fundinginstrument', slug, name, position FROM directory_fundinginstrument
    UNION ALL
    SELECT 'directory_supportkind', slug, name, position FROM directory_supportkind
) terms
ORDER BY kind, position, name
"""
