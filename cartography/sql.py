"""Raw SQL of the cartography app, kept in one place (STYLE rule 12)."""

from directory.sql import AREA_SLUG

#: Reference areas as a GeoJSON FeatureCollection built by PostGIS, outlines simplified by
#: `tolerance` degrees (topology kept) and written with 6 decimals.
AREA_FEATURE_COLLECTION = f"""
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
    json_build_object(
        'type', 'Feature', 'id', a.id,
        'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geometry, %(tolerance)s), 6)::json,
        'properties', json_build_object(
            'kind', a.kind, 'code', a.code, 'name', a.name, 'slug', {AREA_SLUG})
    ) ORDER BY a.kind, a.name), '[]'::json))::text
FROM cartography_referencearea a
WHERE cardinality(%(kinds)s::text[]) = 0 OR a.kind = ANY(%(kinds)s::text[])
"""  # noqa: S608 - a fixed fragment; values are bound parameters

#: Published premises with their public fields only (Premises.PUBLIC_FIELDS), as GeoJSON
#: built by PostGIS; a site known by its outline only is shown at a point on that outline.
#: A space in a third place names its (published) third place, what that place offers and
#: whether the city counts it among the "lieux totems" (public facts).
PREMISES_FEATURE_COLLECTION = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
    json_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', ST_AsGeoJSON(coalesce(p.location, ST_PointOnSurface(p.footprint)), 6)::json,
        'properties', json_build_object(
            'slug', p.slug, 'name', p.name, 'kind', p.kind, 'status', p.status,
            'surface_m2', p.surface_m2, 'built_surface_m2', p.built_surface_m2,
            'street', p.street, 'postcode', p.postcode, 'city', p.city,
            'owner_type', p.owner_type, 'available_from', p.available_from,
            'third_place', CASE WHEN t.id IS NOT NULL
                THEN json_build_object('name', t.name, 'slug', t.slug,
                    'offers', coalesce(to_json(tpo.offers), '[]'::json),
                    'totem', coalesce(tpo.totem, false)) END)
    ) ORDER BY p.name, p.id), '[]'::json))::text
FROM cartography_premises p
LEFT JOIN directory_organisation t
    ON t.id = p.third_place_id AND t.publication_status = %(published)s
LEFT JOIN cartography_thirdplaceoffer tpo ON tpo.organisation_id = t.id
WHERE p.publication_status = %(published)s
"""


# --- Land workspace (/foncier/, staff only) -------------------------------------------------
#
# A site is a point, an outline or both: its "shape" is the outline when there is one, else
# the point; its "point" is the point, else a point on the outline. Every distance is in
# metres, on the geography (spheroid).

#: The shape and the point of the site aliased `p`.
SITE_SHAPE = "coalesce(p.footprint::geometry, p.location::geometry)"
SITE_POINT = "coalesce(p.location, ST_PointOnSurface(p.footprint))"
#: The same for the ORM's unaliased table, in the fragments below (ORM RawSQL).
_ORM_SHAPE = SITE_SHAPE.replace("p.", "cartography_premises.")
_ORM_POINT = SITE_POINT.replace("p.", "cartography_premises.")

#: Filters of the list of sites, as predicates on `cartography_premises` (ORM RawSQL, one
#: bound parameter each).
PREMISES_IN_AREA = f"""EXISTS (
    SELECT 1 FROM cartography_referencearea a
    WHERE a.id = %s AND ST_Intersects(a.geometry, {_ORM_SHAPE}))"""  # noqa: S608 - fixed fragment
PREMISES_NEAR_QPV = f"""EXISTS (
    SELECT 1 FROM cartography_referencearea a
    WHERE a.kind = 'qpv'
      AND ST_DWithin(a.geometry::geography, ({_ORM_SHAPE})::geography, %s))"""  # noqa: S608
#: The name of the quartier holding the site's point, for the list.
PREMISES_QUARTIER_NAME = f"""(
    SELECT a.name FROM cartography_referencearea a
    WHERE a.kind = 'quartier' AND ST_Intersects(a.geometry, {_ORM_POINT})
    ORDER BY a.name LIMIT 1)"""  # noqa: S608 - fixed fragment
_QUARTIER_OF_P = f"""(
    SELECT a.name FROM cartography_referencearea a
    WHERE a.kind = 'quartier' AND ST_Intersects(a.geometry, {SITE_POINT})
    ORDER BY a.name LIMIT 1)"""  # noqa: S608 - fixed fragment

#: The spatial context of one site: quartier(s), QPV within `qpv_m`, published organisations
#: within `near_m` (third places flagged), the nearest published third place (a KNN `<->`
#: pre-selection of 10 by the GiST index, then the true distance), and the outline's area in
#: Lambert 93 (EPSG:2154).
SITE_CONTEXT = f"""
WITH site AS (
    SELECT p.id, {SITE_POINT} AS point, {SITE_SHAPE} AS shape, p.third_place_id,
        CASE WHEN p.footprint IS NOT NULL
             THEN ST_Area(ST_Transform(p.footprint, 2154)) END AS area_m2
    FROM cartography_premises p WHERE p.id = %(premises_id)s
), third_places AS (
    SELECT o.id FROM directory_organisation o
    JOIN directory_organisation_kinds ok ON ok.organisation_id = o.id
    JOIN directory_organisationkind k ON k.id = ok.organisationkind_id AND k.slug = 'tiers-lieu'
)
SELECT
    (SELECT coalesce(json_agg(a.name ORDER BY ST_Area(ST_Intersection(a.geometry, site.shape))
        DESC, a.name), '[]'::json)
     FROM cartography_referencearea a
     WHERE a.kind = 'quartier' AND ST_Intersects(a.geometry, site.shape)),
    (SELECT coalesce(json_agg(json_build_object('name', q.name, 'code', q.code,
        'distance', q.distance) ORDER BY q.distance, q.name), '[]'::json)
     FROM (SELECT a.name, a.code,
              round(ST_Distance(a.geometry::geography, site.shape::geography))::int AS distance
           FROM cartography_referencearea a
           WHERE a.kind = 'qpv'
             AND ST_DWithin(a.geometry::geography, site.shape::geography, %(qpv_m)s)) q),
    (SELECT coalesce(json_agg(json_build_object('name', n.name, 'slug', n.slug,
        'distance', n.distance, 'third_place', n.third_place) ORDER BY n.distance, n.name),
        '[]'::json)
     FROM (SELECT o.name, o.slug,
              round(ST_Distance(o.location::geography, site.shape::geography))::int AS distance,
              o.id IN (SELECT id FROM third_places) AS third_place
           FROM directory_organisation o
           WHERE o.publication_status = %(published)s AND o.location IS NOT NULL
             AND ST_DWithin(o.location::geography, site.shape::geography, %(near_m)s)) n),
    (SELECT json_build_object('name', t.name, 'slug', t.slug, 'distance', t.distance)
     FROM (SELECT c.name, c.slug,
              round(ST_Distance(c.location::geography, site.shape::geography))::int AS distance
           FROM (SELECT o.name, o.slug, o.location FROM directory_organisation o
                 WHERE o.id IN (SELECT id FROM third_places) AND o.location IS NOT NULL
                   AND o.publication_status = %(published)s
                 ORDER BY o.location <-> site.point LIMIT 10) c
           ORDER BY distance, c.name LIMIT 1) t),
    site.area_m2
FROM site
"""  # noqa: S608 - fixed fragments of this module; values are bound parameters

#: Area in m² (Lambert 93) of an EPSG:4326 geometry given as EWKT.
GEOMETRY_AREA_M2 = "SELECT ST_Area(ST_Transform(ST_GeomFromEWKT(%(ewkt)s), 2154))"

#: Whether the territory covers an EPSG:4326 geometry given as EWKT: the loaded communes
#: (Lille and its communes associées) when any, else a rectangle around Lille.
TERRITORY_COVERS = """
WITH communes AS (
    SELECT ST_Union(a.geometry) AS outline FROM cartography_referencearea a
    WHERE a.kind IN ('commune', 'commune-associee') AND a.code = ANY(%(insee_codes)s)
)
SELECT ST_Covers(
    coalesce(communes.outline,
             ST_MakeEnvelope(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s, 4326)),
    ST_GeomFromEWKT(%(ewkt)s))
FROM communes
"""

#: Sites of `ids` as GeoJSON for the staff map (staff fields included: staff page only).
LAND_FEATURE_COLLECTION = f"""
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
    json_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', ST_AsGeoJSON({SITE_SHAPE}, 6)::json,
        'properties', json_build_object(
            'slug', p.slug, 'name', p.name, 'kind', p.kind, 'status', p.status,
            'stage', p.pipeline_stage, 'surface_m2', p.surface_m2,
            'built_surface_m2', p.built_surface_m2, 'street', p.street, 'city', p.city)
    ) ORDER BY p.name, p.id), '[]'::json))::text
FROM cartography_premises p
WHERE p.id = ANY(%(ids)s)
"""  # noqa: S608 - fixed fragments of this module

#: Every field of the sites of `ids` plus their quartier and computed area, as GeoJSON for
#: the staff export.
LAND_EXPORT_GEOJSON = f"""
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
    json_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', ST_AsGeoJSON({SITE_SHAPE}, 6)::json,
        'properties', to_jsonb(p) - 'location' - 'footprint'
            || jsonb_build_object('quartier', {_QUARTIER_OF_P},
                'surface_calculee_m2', round(ST_Area(ST_Transform(p.footprint, 2154))))
    ) ORDER BY p.name, p.id), '[]'::json))::text
FROM cartography_premises p
WHERE p.id = ANY(%(ids)s)
"""  # noqa: S608 - fixed fragments of this module

#: Facts about every open site that the matching of a need scores: usable surface, kind,
#: availability, and the distance in metres to the nearest wished quartier (NULL without one).
NEED_CANDIDATE_FACTS = f"""
SELECT p.id,
    (SELECT min(ST_Distance(a.geometry::geography, ({SITE_SHAPE})::geography))
     FROM cartography_premisesneed_quartiers nq
     JOIN cartography_referencearea a ON a.id = nq.referencearea_id
     WHERE nq.premisesneed_id = %(need_id)s) AS distance
FROM cartography_premises p
WHERE p.pipeline_stage NOT IN ('attribue', 'abandonne')
  AND p.status NOT IN ('occupe', 'reconverti')
"""  # noqa: S608 - fixed fragments of this module
