"""Raw SQL of OGC API Features (cartography.ogc): a page of a collection, one feature, an
extent, each composed from the layer's feature SQL (cartography.sql) and the collection's
WHERE clause on `{table} {alias}`; values are always bound parameters."""

# A collection's rows are `FROM {table} {alias} WHERE {where}`; pages are in id order, read
# through the primary key: a page asked by `offset` skips that many rows, a page asked by a
# cursor (`after` / `before` an id: the `next` and `prev` links) starts at the cursor
# whatever its depth (keyset paging: 1,000,000 rows walked in pages cost each page the same).


def ogc_credit(*, alias: str, changed: str) -> str:
    """A lateral join named `credit` giving each row of `{alias}` its origin as flat text,
    what GDAL reads as columns (a nested JSON object is one unreadable JSON string there):
    `credit.source` (its sources' names, by name, joined by " | "; `%(credit_cartess)s`
    when no import wrote the record: typed in Cartess), `credit.licence` (each source's
    licence, same order; `%(credit_unknown)s` when the source gives none;
    `%(credit_licence)s`, the export's, for a record typed in Cartess) and
    `credit.data_date` (each source's own date of its data, else `%(credit_seen)s` with
    the day an import last saw the record, unchanged or not; for a record typed in Cartess
    `%(credit_changed)s` with the day of `changed`, its last change, NULL when unknown; each
    `{date}` an ISO day inside words: GDAL types a column of bare ISO days as Date, and
    then loses a later page's "SIRENE au 1er novembre 2026"), and `credit.names`, the
    names as a JSON array (the `sources` of the map's layer, read here once more
    otherwise). The record's provenances are those of content
    type `%(credit_app)s`.`%(credit_model)s`: one lookup of `provenance_record_idx` per
    row, and, for a source without its own date, of its few kept sightings. Its own
    aliases (`cp`, `cs`...) must not hide the layer's (`p` is the premises')."""
    return f"""
LEFT JOIN LATERAL (
    -- The rows come sorted by name: an aggregate's own ORDER BY sorts again for each
    -- feature, three times (5 ms more on a page of 100).
    SELECT coalesce(string_agg(cc.name, ' | '), %(credit_cartess)s) AS source,
        coalesce(string_agg(cc.licence, ' | '), %(credit_licence)s) AS licence,
        coalesce(string_agg(cc.dated, ' | '),
            replace(%(credit_changed)s, '{{date}}', to_char({changed}, 'YYYY-MM-DD')))
            AS data_date,
        coalesce(json_agg(cc.name), '[]'::json) AS names
    FROM (
        SELECT cs.id, cs.name, coalesce(nullif(cs.licence, ''), %(credit_unknown)s) AS licence,
            coalesce(nullif(cs.data_dated, ''), replace(%(credit_seen)s, '{{date}}',
                to_char(max(greatest(cp.last_seen_at, (
                    SELECT max(cg.seen_at) FROM directory_provenancesighting cg
                    WHERE cg.source_id = cp.source_id AND cp.id <@ ANY(cg.provenance_ids)
                ))), 'YYYY-MM-DD'))) AS dated
        FROM importers_provenance cp JOIN importers_source cs ON cs.id = cp.source_id
        WHERE cp.object_id = {alias}.id AND cp.content_type_id = (
            SELECT ct.id FROM django_content_type ct
            WHERE ct.app_label = %(credit_app)s AND ct.model = %(credit_model)s)
        GROUP BY cs.id ORDER BY cs.name, cs.id
    ) cc
) credit ON true"""  # noqa: S608 - fixed fragments; values are bound parameters


def ogc_items(
    *,
    feature: str,
    table: str,
    alias: str,
    where: str,
    cursor: str = "",
    until: bool = False,
    count: bool = False,
    credit: str = "",
) -> str:
    """One page of a collection: a row of (FeatureCollection text of at most `%(limit)s`
    features in id order, numberReturned, numberMatched, more, first id, last id).

    `cursor` is "" (the `%(limit)s` rows from `%(offset)s`), "after" (the rows of id above
    `%(cursor)s`, and below `%(until)s` when `until`) or "before" (the last rows of id
    below `%(cursor)s`). One row more than
    the page is read: `more` says whether rows remain in the reading direction, and no
    JSON is built for it. numberMatched (first page only, `%(offset)s` 0) is the page's
    own count when it holds every match, else, when `count`, the matches counted up to
    `%(count_max)s` (NULL beyond: an exact count reads every matching row); PostgreSQL
    runs that count only when the page is full. `credit` is joined to the page's rows
    (`ogc_credit`), for `feature` to read.
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
    if until:
        where = f"{where} AND {key} < %(until)s"
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
) {alias}{credit}
"""  # noqa: S608 - fixed fragments; values are bound parameters


def ogc_item(*, feature: str, table: str, alias: str, where: str, credit: str = "") -> str:
    """The Feature (text) of id `%(item_id)s` among the rows of `where`, `credit` joined
    (`ogc_credit`); no row if none."""
    return f"""
SELECT ({feature})::text FROM {table} {alias}{credit}
WHERE {where} AND {alias}.id = %(item_id)s
"""  # noqa: S608 - fixed fragments; values are bound parameters


def ogc_extent(*, geometry: str, table: str, alias: str, where: str, points: bool = False) -> str:
    """The bounding box (minlon, minlat, maxlon, maxlat) of `geometry` over `where`'s rows
    (NULLs when none has a geometry). For `points`, the least and greatest of their
    coordinates, the same box: PostgreSQL reads each at one end of an index when there is
    one (the organisations' `organisation_lon_idx` and `organisation_lat_idx`), where
    ST_Extent reads every row (0.27 s at 1,000,000 organisations, issue 20)."""
    if points:
        x, y = f"ST_X({geometry})", f"ST_Y({geometry})"
        return f"""
SELECT min({x}), min({y}), max({x}), max({y}) FROM {table} {alias} WHERE {where}
"""  # noqa: S608 - fixed fragments; values are bound parameters
    return f"""
SELECT ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box)
FROM (SELECT ST_Extent({geometry}) AS box FROM {table} {alias} WHERE {where}) e
"""  # noqa: S608 - fixed fragments; values are bound parameters
