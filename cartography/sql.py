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

#: The quartiers, by name, with the slug the organisation filters accept.
QUARTIER_CHOICES = f"""
SELECT {AREA_SLUG} AS slug, a.name FROM cartography_referencearea a
WHERE a.kind = 'quartier' ORDER BY a.name
"""  # noqa: S608 - a fixed fragment

#: Published premises with their public fields only (Premises.PUBLIC_FIELDS), as GeoJSON
#: built by PostGIS; a site known by its outline only is shown at a point on that outline.
PREMISES_FEATURE_COLLECTION = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
    json_build_object(
        'type', 'Feature', 'id', p.id,
        'geometry', ST_AsGeoJSON(coalesce(p.location, ST_PointOnSurface(p.footprint)), 6)::json,
        'properties', json_build_object(
            'slug', p.slug, 'name', p.name, 'kind', p.kind, 'status', p.status,
            'surface_m2', p.surface_m2, 'built_surface_m2', p.built_surface_m2,
            'street', p.street, 'postcode', p.postcode, 'city', p.city,
            'owner_type', p.owner_type, 'available_from', p.available_from)
    ) ORDER BY p.name, p.id), '[]'::json))::text
FROM cartography_premises p
WHERE p.publication_status = %(published)s
"""
