"""Raw SQL of OGC API Features (cartography.ogc): a page of a collection, one feature, an
extent, each composed from the layer's feature SQL (cartography.sql) and the collection's
WHERE clause on `{table} {alias}`; values are always bound parameters."""

# A collection's rows are `FROM {table} {alias} WHERE {where}`; pages are in id order, read
# through the primary key: a page asked by `offset` skips that many rows, a page asked by a
# cursor (`after` / `before` an id: the `next` and `prev` links) starts at the cursor
# whatever its depth (keyset paging: 1,000,000 rows walked in pages cost each page the same).


def ogc_items(
    *, feature: str, table: str, alias: str, where: str, cursor: str = "", count: bool = False
) -> str:
    """One page of a collection: a row of (FeatureCollection text of at most `%(limit)s`
    features in id order, numberReturned, numberMatched, more, first id, last id).

    `cursor` is "" (the `%(limit)s` rows from `%(offset)s`), "after" (the rows of id above
    `%(cursor)s`) or "before" (the last rows of id below `%(cursor)s`). One row more than
    the page is read: `more` says whether rows remain in the reading direction, and no
    JSON is built for it. numberMatched (first page only, `%(offset)s` 0) is the page's
    own count when it holds every match, else, when `count`, the matches counted up to
    `%(count_max)s` (NULL beyond: an exact count reads every matching row); PostgreSQL
    runs that count only when the page is full.
    """
    key = f"{alias}.id"
    bounded = (
        f"""(SELECT CASE WHEN count(*) <= %(count_max)s THEN count(*) END FROM (
            SELECT 1 FROM {table} {alias} WHERE {where} LIMIT %(count_max)s + 1) m)"""  # noqa: S608
        if count
        else "NULL::bigint"
    )
    matched = f"CASE WHEN count(*) <= %(limit)s THEN count(*) ELSE {bounded} END"
    order, bound = {"": ("", ""), "after": ("", ">"), "before": (" DESC", "<")}[cursor]
    if bound:
        where = f"({where}) AND {key} {bound} %(cursor)s"
    shown = f"FILTER (WHERE {alias}._ogc_rank <= %(limit)s)"
    return f"""
SELECT json_build_object('type', 'FeatureCollection',
    'features', coalesce(json_agg({feature} ORDER BY {key}) {shown}, '[]'::json))::text,
    count(*) {shown}, {matched}, count(*) > %(limit)s, min({key}) {shown}, max({key}) {shown}
FROM (
    SELECT {alias}.*, row_number() OVER (ORDER BY {key}{order}) AS _ogc_rank
    FROM (
        SELECT {alias}.* FROM {table} {alias} WHERE {where}
        ORDER BY {key}{order} LIMIT %(limit)s + 1 OFFSET %(offset)s
    ) {alias}
) {alias}
"""  # noqa: S608 - fixed fragments; values are bound parameters


def ogc_item(*, feature: str, table: str, alias: str, where: str) -> str:
    """The Feature (text) of id `%(item_id)s` among the rows of `where`; no row if none."""
    return f"""
SELECT ({feature})::text FROM {table} {alias} WHERE {where} AND {alias}.id = %(item_id)s
"""  # noqa: S608 - fixed fragments; values are bound parameters


def ogc_extent(*, geometry: str, table: str, alias: str, where: str) -> str:
    """The bounding box (minlon, minlat, maxlon, maxlat) of `geometry` over `where`'s rows
    (NULLs when none has a geometry)."""
    return f"""
SELECT ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box)
FROM (SELECT ST_Extent({geometry}) AS box FROM {table} {alias} WHERE {where}) e
"""  # noqa: S608 - fixed fragments; values are bound parameters
