"""Reads of OGC API Features: a page of a collection, one feature, a collection's extent;
each one statement composed in cartography.sql from the layer's declaration."""

from django.db import connection

from cartography import sql
from cartography.ogc.collections import Collection, Selection


def _run(statement: str, params: dict) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def _source(collection: Collection) -> dict:
    layer = collection.layer
    return {"table": layer.table, "alias": layer.alias}


def ogc_items_get(*, collection: Collection, selection: Selection, limit: int, offset: int) -> str:
    """A page of `collection` matching `selection`: GeoJSON text of a FeatureCollection with
    `numberReturned` and, on the first page only (`offset` 0), `numberMatched` (counting
    every match costs more than a page: the next pages skip it, as the standard allows),
    features in id order from `offset`, at most `limit`.

    Raises OgcError (400, 409) for a selection the collection cannot apply. Reads only.
    """
    where, params = collection.clause(selection)
    feature = collection.layer.feature_sql(collection.variant(staff=selection.staff))
    statement = sql.ogc_items(
        feature=feature, where=where, count=offset == 0, **_source(collection)
    )
    return _run(statement, {**params, "limit": limit, "offset": offset})[0]


def ogc_item_get(*, collection: Collection, selection: Selection, item_id: int) -> str | None:
    """The GeoJSON text of the feature `item_id` of `collection` (None when the caller may
    not see it or it does not exist)."""
    where, params = collection.clause(selection)
    feature = collection.layer.feature_sql(collection.variant(staff=selection.staff))
    statement = sql.ogc_item(feature=feature, where=where, **_source(collection))
    row = _run(statement, {**params, "item_id": item_id})
    return row[0] if row else None


def ogc_extent_get(*, collection: Collection, selection: Selection) -> list[float] | None:
    """The bounding box [minlon, minlat, maxlon, maxlat] of what `selection` shows of
    `collection`; None without geometry or rows."""
    if not collection.geometry:
        return None
    where, params = collection.clause(selection)
    statement = sql.ogc_extent(geometry=collection.geometry, where=where, **_source(collection))
    box = _run(statement, params)
    return None if box is None or box[0] is None else [float(value) for value in box]
