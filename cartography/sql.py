"""Raw SQL of the cartography app, kept in one place (STYLE rule 12).

The map layers (cartography.layers) are statements composed here from fixed fragments: a
feature is one `json_build_object` of the property expressions a layer declares, a collection
their `json_agg`, all built by PostGIS (`ST_AsGeoJSON`, 6 decimals, about 10 cm). Values are
always bound parameters; the only text assembled in Python is a choice among fixed fragments
of this module, of directory.sql and of the layers' declarations.
"""

from collections.abc import Iterable, Sequence

from cartography.site_state import (
    CLOSED_STAGE_STATUS,
    CLOSED_STAGES,
    OFFERED_STATUSES,
    TAKEN_STATUSES,
)

# --- Map layers (cartography.layers) --------------------------------------------------------


def feature(*, geometry: str, properties: Sequence[tuple[str, str]], feature_id: str = "") -> str:
    """One GeoJSON Feature: `geometry` and each (name, expression) of `properties` are fixed
    SQL fragments on the layer's table; `feature_id` the expression of its id (none if empty).
    A NULL geometry is written `null` (RFC 7946, section 3.2)."""
    pairs = ", ".join(f"'{name}', {expression}" for name, expression in properties)
    identity = f"'id', {feature_id}, " if feature_id else ""
    return (
        f"json_build_object('type', 'Feature', {identity}"
        f"'geometry', ST_AsGeoJSON({geometry}, 6)::json, 'properties', json_build_object({pairs}))"
    )


def feature_collection(*, feature: str, source: str, order: str, members: str = "") -> str:
    """A statement giving one FeatureCollection (text): `feature` for every row of `source`
    (what follows FROM, WHERE included), in `order`; `members` are foreign members written
    before the features, each pair followed by a comma (`'mode', 'points', `)."""
    return f"""
SELECT json_build_object('type', 'FeatureCollection', {members}'features',
    coalesce(json_agg({feature} ORDER BY {order}), '[]'::json))::text
FROM {source}
"""  # noqa: S608 - fixed fragments; values are bound parameters


#: Clusters of the organisation map: the centroid of the organisations of a grid cell.
_CLUSTER_FEATURE = feature(geometry="c.centre", properties=(("cluster", "true"), ("count", "c.n")))
_CLUSTERS = """(
    SELECT count(*) AS n, ST_Centroid(ST_Collect(location)) AS centre
    FROM matches GROUP BY ST_SnapToGrid(location, %(cell)s)
) c"""


def organisation_map(*, feature: str, where: str) -> str:
    """The organisations map: points (`feature` of each organisation with a point matching
    `where`, by name) while at most `%(cap)s` match, else clusters on a grid of `%(cell)s`
    degrees (ST_SnapToGrid), each with its count and centroid. Foreign members: `mode`
    (points or clusters), `total`, `cap` and, for clusters, `cell`. Postgres only runs the
    branch the CASE picks."""
    points = feature_collection(
        feature=feature,
        source="matches m JOIN directory_organisation o ON o.id = m.id",
        order="o.name, o.id",
        members="'mode', 'points', 'total', total.n, 'cap', %(cap)s, ",
    )
    clusters = feature_collection(
        feature=_CLUSTER_FEATURE,
        source=_CLUSTERS,
        order="c.n DESC",
        members="'mode', 'clusters', 'total', total.n, 'cap', %(cap)s, 'cell', %(cell)s, ",
    )
    return f"""
WITH matches AS MATERIALIZED (
    SELECT o.id, o.location FROM directory_organisation o
    WHERE o.location IS NOT NULL AND {where}
), total AS (SELECT count(*) AS n FROM matches)
SELECT CASE WHEN total.n <= %(cap)s THEN ({points}) ELSE ({clusters}) END
FROM total
"""  # noqa: S608 - fixed fragments; values are bound parameters


#: The cells of one kept level (cartography.map_cells) that the extent touches, summed.
#: The bounds are cast to the columns' integer type: compared with round()'s double precision,
#: gx and gy would be cast instead and the (level, gx, gy) index read for the level only
#: (every cell of the level: 350,000 at level 8 for 1,000,000 organisations, 270 ms).
_KEPT_CELLS = """
    SELECT sum(n)::bigint AS n,
        ST_SetSRID(ST_MakePoint(sum(sum_x) / sum(n), sum(sum_y) / sum(n)), 4326) AS centre
    FROM cartography_mapcell
    WHERE level = %(level)s
      AND gx BETWEEN round(%(cell_minlon)s / %(cell)s)::integer
          AND round(%(cell_maxlon)s / %(cell)s)::integer
      AND gy BETWEEN round(%(cell_minlat)s / %(cell)s)::integer
          AND round(%(cell_maxlat)s / %(cell)s)::integer
    GROUP BY gx, gy
    HAVING sum(n) > 0
"""


def organisation_map_kept(*, feature: str, where: str) -> str:
    """The unfiltered organisations map from the cells PostgreSQL keeps (level `%(level)s`,
    cells of `%(cell)s` degrees touching the extent `%(cell_minlon)s`...): the same
    collection as `organisation_map` where the extent's edges cross no cell holding
    organisations outside it. Clusters while the touched cells hold more than `%(cap)s`
    organisations (`total` is then their sum), else the points matching `where` exactly."""
    points = feature_collection(
        feature=feature,
        source="matches m JOIN directory_organisation o ON o.id = m.id",
        order="o.name, o.id",
        members="'mode', 'points', 'total', (SELECT count(*) FROM matches), 'cap', %(cap)s, ",
    )
    clusters = feature_collection(
        feature=_CLUSTER_FEATURE,
        source="cells c",
        order="c.n DESC",
        members="'mode', 'clusters', 'total', total.n, 'cap', %(cap)s, 'cell', %(cell)s, ",
    )
    return f"""
WITH cells AS MATERIALIZED ({_KEPT_CELLS}), matches AS MATERIALIZED (
    SELECT o.id, o.location FROM directory_organisation o
    WHERE o.location IS NOT NULL AND {where}
), total AS (SELECT coalesce(sum(n), 0) AS n FROM cells)
SELECT CASE WHEN total.n <= %(cap)s THEN ({points}) ELSE ({clusters}) END
FROM total
"""  # noqa: S608 - fixed fragments; values are bound parameters


def organisation_export(*, feature: str, where: str, order: str) -> str:
    """Every organisation matching `where` (alias `o`), in `order`, those without a point
    included (null geometry)."""
    return feature_collection(
        feature=feature, source=f"directory_organisation o WHERE {where}", order=order
    )


def organisation_overview(*, feature: str, subquery: str) -> str:
    """The organisations with a point among the ids `subquery` selects (an ORM query with
    positional parameters), by name, at most `%s` (the last positional parameter)."""
    source = f"""(
    SELECT o.* FROM directory_organisation o
    WHERE o.location IS NOT NULL AND o.id IN ({subquery})
    ORDER BY o.name, o.id LIMIT %s
) o"""  # noqa: S608 - an ORM query and fixed fragments; values are bound parameters
    return feature_collection(feature=feature, source=source, order="o.name, o.id")


# --- Credit of a listing (issues 13 and 18) --------------------------------------------------

#: The names of the sources a listing (alias `o`) was imported from, by name, as a JSON array:
#: empty for a listing people typed in Cartess. One lookup of `provenance_record_idx` per
#: feature, inside the layer's statement (no query more).
ORGANISATION_SOURCES = """(
    SELECT coalesce(json_agg(DISTINCT s.name ORDER BY s.name), '[]'::json)
    FROM importers_provenance p JOIN importers_source s ON s.id = p.source_id
    WHERE p.object_id = o.id AND p.content_type_id = (
        SELECT t.id FROM django_content_type t
        WHERE t.app_label = 'directory' AND t.model = 'organisation'))"""

#: Who last corrected the listing (alias `o`) by hand, kept on it (directory.edit_credit): a
#: JSON object `by` ("owner", "network", "team"), `network` (its name, for a network) and
#: `on` (the day, YYYY-MM-DD); null when nobody did. The network is named as its members say
#: it (its acronym, else its name: "APES"). Read from the row itself, the network by its
#: primary key: no query more, no per-feature Python.
ORGANISATION_EDITED = """(CASE WHEN o.edited_by <> '' THEN json_build_object(
    'by', o.edited_by,
    'network', (SELECT coalesce(nullif(n.acronym, ''), n.name) FROM directory_organisation n
                WHERE n.id = o.edited_by_network_id),
    'on', o.edited_on) END)"""


# --- Places of the ESS (issue 17) ----------------------------------------------------------

#: The names of a place's services, in the taxonomy's order, as a JSON array: its row's
#: `service_names` (`cartography.places.place_list`, the column the database keeps). An
#: aggregate of every place's services was joined here: without it, the statement's SQL
#: 31.7 -> 28.7 ms at 1,000,000 organisations, half of the 3,469 places with services
#: (issue 20).
PLACE_SERVICE_NAMES = "to_json(o.service_names)"
#: Whether the place (alias `o`) is a lieu totem.
PLACE_TOTEM = "('lieu-totem' = ANY(o.place_roles))"


def places_map(*, feature: str, subquery: str) -> str:
    """The places `subquery` selects (an ORM query with positional parameters, giving the
    columns `feature` reads), by name. Its rows are the statement's table: the organisations
    are read once (as `o.id IN (...)`, they were read twice, 3,469 index lookups more for a
    national directory's places; issue 20)."""
    return feature_collection(feature=feature, source=f"({subquery}) o", order="o.name, o.id")


#: A reference area's outline simplified by `%(tolerance)s` degrees, topology kept, served
#: as stored (a MultiPolygon) with its rings wound as RFC 7946 asks (exterior
#: counter-clockwise).
AREA_OUTLINE = (
    "ST_ForcePolygonCCW(ST_Multi(ST_SimplifyPreserveTopology(a.geometry, %(tolerance)s)))"
)


def areas(*, feature: str) -> str:
    """Reference areas of the kinds `%(kinds)s` (every kind when empty), by kind and name."""
    return feature_collection(
        feature=feature,
        source="""cartography_referencearea a
WHERE cardinality(%(kinds)s::text[]) = 0 OR a.kind = ANY(%(kinds)s::text[])""",
        order="a.kind, a.name",
    )


def premises_published(*, feature: str) -> str:
    """Premises published (`%(published)s`), by name."""
    return feature_collection(
        feature=feature,
        source="cartography_premises p WHERE p.publication_status = %(published)s",
        order="p.name, p.id",
    )


def premises_of_ids(*, feature: str) -> str:
    """The premises of `%(ids)s` whatever their publication (staff only), by name."""
    return feature_collection(
        feature=feature,
        source="cartography_premises p WHERE p.id = ANY(%(ids)s)",
        order="p.name, p.id",
    )


def funding_schemes_published(*, feature: str) -> str:
    """Funding schemes published (`%(published)s`), by name."""
    return feature_collection(
        feature=feature,
        source="directory_fundingscheme f WHERE f.publication_status = %(published)s",
        order="f.name, f.id",
    )


# --- OGC API Features (cartography.ogc; its pages' statements: cartography/ogc/sql.py) ---

#: The bbox test of OGC API Features (`%(minlon)s`...), on a geometry expression `{}`.
OGC_BBOX = (
    "ST_Intersects({}, ST_MakeEnvelope(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s, 4326))"
)
#: The same for a box crossing the antimeridian (its first longitude larger than its third):
#: the two envelopes on either side of it.
OGC_BBOX_CROSSING = (
    "(ST_Intersects({0}, ST_MakeEnvelope(%(minlon)s, %(minlat)s, 180, %(maxlat)s, 4326))"
    " OR ST_Intersects({0}, ST_MakeEnvelope(-180, %(minlat)s, %(maxlon)s, %(maxlat)s, 4326)))"
)


# --- Vector tiles (cartography.tiles) ------------------------------------------------------

#: Pixels of a tile side, and of the margin drawn around it (features crossing the edge).
TILE_EXTENT, TILE_BUFFER = 4096, 64
#: Side of a cluster's cell in tile units (64 of 4096: 16 pixels of a 1024-pixel tile).
TILE_CLUSTER_CELL = 64


def properties_jsonb(properties: Sequence[tuple[str, str]]) -> str:
    """One jsonb object of the (name, expression) `properties`: a tile's attributes."""
    return "jsonb_build_object({})".format(", ".join(f"'{n}', {e}" for n, e in properties))


def tile(*, geometry: str, properties: str, table: str, alias: str, where: str, bbox: str) -> str:
    """One Mapbox Vector Tile (bytea, empty when no feature) of the layer `%(layer)s`: the
    rows of `where` whose `bbox` expression (indexed) meets tile `%(z)s/%(x)s/%(y)s`, drawn
    with `geometry` (EPSG:4326) and the jsonb object `properties` (its keys become the
    attributes), feature id the row's id. ST_AsMVT in one statement."""
    return f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS box,
        ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s,
            margin => {TILE_BUFFER}.0 / {TILE_EXTENT}), 4326) AS search
)
SELECT coalesce(ST_AsMVT(t.*, %(layer)s, {TILE_EXTENT}, 'geom', 'id'), ''::bytea)
FROM (
    SELECT {alias}.id, (
            -- MVT values are scalars: a list or an object (kinds...) is kept as JSON text.
            SELECT jsonb_object_agg(key, CASE WHEN jsonb_typeof(value) IN ('array', 'object')
                THEN to_jsonb(value::text) ELSE value END)
            FROM jsonb_each({properties})) AS properties,
        ST_AsMVTGeom(ST_Transform({geometry}, 3857), bounds.box, {TILE_EXTENT},
            {TILE_BUFFER}, true) AS geom
    FROM {table} {alias}, bounds
    WHERE {where} AND {bbox} && bounds.search
) t
WHERE t.geom IS NOT NULL
"""  # noqa: S608 - fixed fragments; values are bound parameters


def tile_clusters(*, geometry: str, table: str, alias: str, where: str, bbox: str) -> str:
    """The tile of `sql.tile` with the rows grouped in cells of TILE_CLUSTER_CELL tile units:
    one feature per cell, at the centroid of its rows, with `cluster` (true) and `count`
    (how many). No property is read: a region's tile stays small and quick."""
    return f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS box,
        ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s,
            margin => {TILE_BUFFER}.0 / {TILE_EXTENT}), 4326) AS search
)
SELECT coalesce(ST_AsMVT(t.*, %(layer)s, {TILE_EXTENT}, 'geom'), ''::bytea)
FROM (
    SELECT jsonb_build_object('cluster', true, 'count', count(*)) AS properties,
        ST_Centroid(ST_Collect(c.geom)) AS geom
    FROM (
        SELECT ST_AsMVTGeom(ST_Transform({geometry}, 3857), bounds.box, {TILE_EXTENT},
            {TILE_BUFFER}, true) AS geom
        FROM {table} {alias}, bounds
        WHERE {where} AND {bbox} && bounds.search
    ) c
    WHERE c.geom IS NOT NULL
    GROUP BY ST_SnapToGrid(c.geom, {TILE_CLUSTER_CELL})
) t
"""  # noqa: S608 - fixed fragments; values are bound parameters


def tile_kept_clusters() -> str:
    """The clusters of `tile_clusters` for the unfiltered organisations, read from the cells
    PostgreSQL keeps (`_KEPT_CELLS`: level `%(level)s` over the tile's extent with its margin,
    `%(cell_minlon)s`...): one feature per cell at its organisations' mean point."""
    return f"""
WITH cells AS ({_KEPT_CELLS})
SELECT coalesce(ST_AsMVT(t.*, %(layer)s, {TILE_EXTENT}, 'geom'), ''::bytea)
FROM (
    SELECT jsonb_build_object('cluster', true, 'count', c.n) AS properties,
        ST_AsMVTGeom(ST_Transform(c.centre, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
            {TILE_EXTENT}, {TILE_BUFFER}, true) AS geom
    FROM cells c
) t
WHERE t.geom IS NOT NULL
"""  # noqa: S608 - fixed fragments; values are bound parameters


#: The published third place a space is in: its name, slug, the slugs of the services it
#: offers (PlaceService, in the taxonomy's order) and whether the city counts it among the
#: "lieux totems" (public facts); NULL for other premises.
PREMISES_THIRD_PLACE = """(
    SELECT json_build_object('name', t.name, 'slug', t.slug,
        'offers', coalesce((
            SELECT json_agg(k.slug ORDER BY k.position, k.name)
            FROM cartography_placeservice s
            JOIN cartography_placeservicekind k ON k.id = s.kind_id
            WHERE s.organisation_id = t.id), '[]'::json),
        'totem', 'lieu-totem' = ANY(t.place_roles))
    FROM directory_organisation t
    WHERE t.id = p.third_place_id AND t.publication_status = %(published)s)"""


# --- Land workspace (/foncier/, staff only) -------------------------------------------------
#
# A site is a point, an outline or both: its "shape" is the outline when there is one, else
# the point; its "point" is the point, else a point on the outline. Every distance is in
# metres, on the geography (spheroid).

#: The shape and the point of the site aliased `p`.
SITE_SHAPE = "coalesce(p.footprint::geometry, p.location::geometry)"
SITE_POINT = "coalesce(p.location, ST_PointOnSurface(p.footprint))"
#: The same for the ORM's unaliased table, in the fragments below (ORM RawSQL).
#: The shape as GeoJSON draws it: outlines wound counter-clockwise (RFC 7946).
SITE_SHAPE_GEOJSON = f"ST_ForcePolygonCCW({SITE_SHAPE})"
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
#: The quartier holding the site's point (alias `p`), and the area of its outline in m²
#: (Lambert 93), for the staff export.
SITE_QUARTIER = f"""(
    SELECT a.name FROM cartography_referencearea a
    WHERE a.kind = 'quartier' AND ST_Intersects(a.geometry, {SITE_POINT})
    ORDER BY a.name LIMIT 1)"""  # noqa: S608 - fixed fragment
SITE_AREA_M2 = "round(ST_Area(ST_Transform(p.footprint, 2154)))"

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


def _quoted(values: Iterable[str]) -> str:
    # Values of cartography.models' TextChoices (letters and dashes): fixed text, not input.
    return ", ".join(f"'{value}'" for value in values)


def premises_public_status_sql(alias: str) -> str:
    """cartography.site_state.premises_public_status as an SQL expression on the premises
    table aliased `alias`."""
    whens = " ".join(
        f"WHEN {alias}.pipeline_stage = '{stage}' AND {alias}.status IN "
        f"({_quoted(OFFERED_STATUSES)}) THEN '{public}'"
        for stage, public in CLOSED_STAGE_STATUS.items()
    )
    return f"(CASE {whens} ELSE {alias}.status END)"


def premises_open_sql(alias: str) -> str:
    """cartography.site_state.premises_is_open as an SQL condition on the premises table
    aliased `alias`."""
    return (
        f"({alias}.pipeline_stage NOT IN ({_quoted(CLOSED_STAGES)})"
        f" AND {alias}.status NOT IN ({_quoted(TAKEN_STATUSES)}))"
    )


#: Facts about every open site that the matching of a need scores: usable surface, kind,
#: availability, and the distance in metres to the nearest wished quartier (NULL without one).
NEED_CANDIDATE_FACTS = f"""
SELECT p.id,
    (SELECT min(ST_Distance(a.geometry::geography, ({SITE_SHAPE})::geography))
     FROM cartography_premisesneed_quartiers nq
     JOIN cartography_referencearea a ON a.id = nq.referencearea_id
     WHERE nq.premisesneed_id = %(need_id)s) AS distance
FROM cartography_premises p
WHERE {premises_open_sql("p")}
"""  # noqa: S608 - fixed fragments of this module
