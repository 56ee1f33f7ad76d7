"""Raw SQL of the pathway (STYLE rule 12): bound parameters only, spatial tests in PostGIS."""

from directory.sql import AREA_SLUG

#: Every stage in order, then the legal family, sector, instruments, support kinds and
#: strategy the project names (unknown slugs give no row): (part, what, slug, name, position).
_TERMS = """
terms AS (
    SELECT 1 AS part, 'stage' AS what, slug, name, position FROM directory_stage
    UNION ALL
    SELECT 2, 'family', slug, name, position FROM directory_legalfamily WHERE slug = %(family)s
    UNION ALL
    SELECT 3, 'sector', slug, name, position FROM directory_sector WHERE slug = %(sector)s
    UNION ALL
    SELECT 4, 'instrument', slug, name, position FROM directory_fundinginstrument
    WHERE slug = ANY(%(instruments)s::text[])
    UNION ALL
    SELECT 5, 'kind', slug, name, position FROM directory_supportkind
    WHERE slug = ANY(%(kinds)s::text[])
    UNION ALL
    SELECT 6, 'strategy', slug, name, position FROM directory_scaleupstrategy
    WHERE slug = %(strategy)s
)"""

#: Everything the pathway knows before it judges, in one round trip (issue 20): the terms
#: the project names (as _TERMS), the reference area asked for (a quartier or QPV by code or
#: slug, or the commune; id, name, kind and a point on its surface), whether a typed point
#: lies in the commune `%(commune)s`, and the territory shares of every offer's outlines
#: (as TERRITORY_SHARES, narrowest first). Four JSON columns, NULL when empty.
PATHWAY_CONTEXT = f"""
WITH found AS (
    SELECT a.id, a.name, a.kind, a.geometry,
        ST_Y(ST_PointOnSurface(a.geometry)) AS lat, ST_X(ST_PointOnSurface(a.geometry)) AS lon
    FROM cartography_referencearea a
    WHERE %(area)s::text <> '' AND a.kind = ANY(%(area_kinds)s::text[])
      AND (a.code = %(area)s OR {AREA_SLUG} = %(area)s)
    ORDER BY a.kind, a.code
    LIMIT 1
),
point AS (
    SELECT CASE WHEN %(lon)s::float8 IS NULL THEN NULL
           ELSE ST_SetSRID(ST_MakePoint(%(lon)s::float8, %(lat)s::float8), 4326) END AS g
),
place AS (SELECT coalesce((SELECT g FROM point), (SELECT geometry FROM found)) AS g),
links AS (
    SELECT 'scheme' AS model, fundingscheme_id AS offer_id, referencearea_id
    FROM directory_fundingscheme_territory_areas
    UNION ALL
    SELECT 'offer', supportoffer_id, referencearea_id FROM directory_supportoffer_territory_areas
),
shares AS (
    SELECT l.model, l.offer_id, a.name, a.kind, ST_Area(a.geometry) AS size,
        CASE WHEN p.g IS NULL THEN NULL
             WHEN GeometryType(p.g) = 'POINT' THEN ST_Covers(a.geometry, p.g)::int::float8
             WHEN NOT ST_Intersects(a.geometry, p.g) THEN 0
             ELSE ST_Area(ST_Intersection(a.geometry, p.g)) / nullif(ST_Area(p.g), 0)
        END AS share
    FROM links l
    JOIN cartography_referencearea a ON a.id = l.referencearea_id
    CROSS JOIN place p
),
{_TERMS}
SELECT
    (SELECT json_agg(json_build_array(what, slug, name) ORDER BY part, position, name)
     FROM terms),
    (SELECT json_build_array(id, name, kind, lat, lon) FROM found),
    (SELECT bool_or(ST_Covers(a.geometry, p.g))
     FROM cartography_referencearea a CROSS JOIN point p
     WHERE p.g IS NOT NULL AND a.kind = 'commune' AND a.code = %(commune)s),
    (SELECT json_agg(json_build_array(model, offer_id, name, kind, share) ORDER BY size, name)
     FROM shares)
"""  # noqa: S608 - fixed fragments; values are bound parameters


#: The slug and name of every term of the six taxonomies the pathway form offers and of the
#: services a place offers (issue 17), each in its own order (`position`, then name),
#: tagged with its table's name, then the quartiers
#: (tagged `quartier`, by name, with the slug the filters accept): the form's lists of
#: choices in one query (directory.pathway.forms._all_choices).
TAXONOMY_CHOICES = f"""
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
    UNION ALL
    SELECT 'cartography_placeservicekind', slug, name, position FROM cartography_placeservicekind
    UNION ALL
    SELECT 'quartier', {AREA_SLUG}, a.name, 0 FROM cartography_referencearea a
    WHERE a.kind = 'quartier'
) terms
ORDER BY kind, position, name
"""  # noqa: S608 - a fixed fragment


def _grouped_terms(offer: str, relation: str, term: str) -> str:
    """The terms of `relation` (table directory_<offer>_<relation>, to directory_<term>) of
    every row, grouped once (a hash join, not one subquery per row: issue 20), as the CTE
    `<relation>` of (id, terms): a JSON array of [slug, name] in the taxonomy's order."""
    return f"""{relation} AS (
    SELECT l.{offer}_id AS id,
        json_agg(json_build_array(t.slug, t.name) ORDER BY t.position, t.name) AS terms
    FROM directory_{offer}_{relation} l JOIN directory_{term} t ON t.id = l.{term}_id
    GROUP BY l.{offer}_id)"""  # noqa: S608 - fixed names


def _terms_columns(relations: tuple[str, ...]) -> str:
    """Each relation's terms as JSON text (`<relation>_terms`, '[]' for none), the last
    columns of JUDGED_SCHEMES and JUDGED_OFFERS, in `relations`' order: a few hundred
    offers name the same few dozen lists, parsed once each (loading._terms_parsed)."""
    return ", ".join(f"coalesce({r}.terms::text, '[]') AS {r}_terms" for r in relations)


def _terms_joins(relations: tuple[str, ...]) -> str:
    return " ".join(f"LEFT JOIN {r} ON {r}.id = o.id" for r in relations)


#: The columns every scheme and offer is judged and shown with (loading.JudgedOffer's
#: fields); the others (the search vector, the description, the sourcing note, dates of
#: edits) are left out: no page, API or alert of the pathway reads them.
_COLUMNS = """o.id AS pk, o.name, o.slug, o.url, o.territory_scope, o.territory_label,
    o.created_at, o.eligibility_text"""

_SCHEME_RELATIONS = (
    ("stages", "stage"),
    ("eligible_legal_families", "legalfamily"),
    ("sectors", "sector"),
    ("instruments", "fundinginstrument"),
    ("scale_up_strategies", "scaleupstrategy"),
)
_OFFER_RELATIONS = (
    ("stages", "stage"),
    ("eligible_legal_families", "legalfamily"),
    ("sectors", "sector"),
    ("kinds", "supportkind"),
    ("scale_up_strategies", "scaleupstrategy"),
)
#: The relations whose terms JUDGED_SCHEMES and JUDGED_OFFERS give (`<relation>_terms`).
SCHEME_TERMS = tuple(relation for relation, _term in _SCHEME_RELATIONS)
OFFER_TERMS = tuple(relation for relation, _term in _OFFER_RELATIONS)

#: The published funding schemes by name, each with what the pathway reads of its relations
#: (issue 20: one query, each relation grouped once rather than one subquery per row): the
#: terms (`<relation>_terms`, JSON text of [slug, name] pairs), its published funders
#: (`funder_refs`: pk, slug, name, closed_on) and its published co-financing partners
#: (`partner_refs`: pk, slug, name, funders_label), by name (NULL for none).
JUDGED_SCHEMES = f"""
WITH {", ".join(_grouped_terms("fundingscheme", r, t) for r, t in _SCHEME_RELATIONS)},
funders AS (
    SELECT l.fundingscheme_id AS id, json_agg(json_build_object(
        'pk', f.id, 'slug', f.slug, 'name', f.name, 'closed_on', f.closed_on)
        ORDER BY f.name, f.id) AS refs
    FROM directory_fundingscheme_funders l
    JOIN directory_organisation f ON f.id = l.organisation_id
    WHERE f.publication_status = %(published)s
    GROUP BY l.fundingscheme_id),
partners AS (
    SELECT l.from_fundingscheme_id AS id, json_agg(json_build_object(
        'pk', p.id, 'slug', p.slug, 'name', p.name, 'funders_label', p.funders_label)
        ORDER BY p.name, p.id) AS refs
    FROM directory_fundingscheme_co_financeable_with l
    JOIN directory_fundingscheme p ON p.id = l.to_fundingscheme_id
    WHERE p.publication_status = %(published)s
    GROUP BY l.from_fundingscheme_id)
SELECT {_COLUMNS}, o.funders_label, o.amount_min, o.amount_max, o.amount_text,
    o.recurrence, o.opens_on, o.closes_on, funders.refs AS funder_refs,
    partners.refs AS partner_refs, {_terms_columns(SCHEME_TERMS)}
FROM directory_fundingscheme o
{_terms_joins(SCHEME_TERMS)}
LEFT JOIN funders ON funders.id = o.id
LEFT JOIN partners ON partners.id = o.id
WHERE o.publication_status = %(published)s
ORDER BY o.name, o.id
"""  # noqa: S608 - fixed fragments; values are bound parameters

#: The published support offers by name, each with the terms the pathway reads (as
#: JUDGED_SCHEMES) and its provider (`provider_ref`: pk, slug, name, closed_on, published),
#: in one query.
JUDGED_OFFERS = f"""
WITH {", ".join(_grouped_terms("supportoffer", r, t) for r, t in _OFFER_RELATIONS)}
SELECT {_COLUMNS}, o.provider_id, o.provider_label, o.cost, o.cost_details,
    CASE WHEN p.id IS NULL THEN NULL ELSE json_build_object('pk', p.id, 'slug', p.slug,
        'name', p.name, 'closed_on', p.closed_on,
        'published', p.publication_status = %(published)s) END AS provider_ref,
    {_terms_columns(OFFER_TERMS)}
FROM directory_supportoffer o
{_terms_joins(OFFER_TERMS)}
LEFT JOIN directory_organisation p ON p.id = o.provider_id
WHERE o.publication_status = %(published)s
ORDER BY o.name, o.id
"""  # noqa: S608 - fixed fragments; values are bound parameters
