"""Reads of OGC API Features: a page of a collection, one feature, a collection's extent;
each one statement composed in cartography.sql from the layer's declaration."""

from dataclasses import dataclass

from django.db import connection

from cartography.filters import AreaFilters, area_kinds_missing
from cartography.layers import AREAS, PREMISES
from cartography.models import AreaKind
from cartography.ogc import sql
from cartography.ogc.collections import Collection, Selection
from cartography.ogc.params import MATCHED_MAX, Cursor, OgcError
from cartography.selectors import premises_layer_missing
from directory.areas import area_kinds_loaded_get


def _run(statement: str, params: dict) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def _source(collection: Collection) -> dict:
    layer = collection.layer
    return {"table": layer.table, "alias": layer.alias}


@dataclass(frozen=True)
class ItemsPage:
    """A page of features: `text` the FeatureCollection (type and features only),
    `returned` its number of features, `matched` every match (None when not counted),
    `more_after` / `more_before` whether rows lie after its last / before its first feature,
    `first_id` / `last_id` its first and last feature's id (None when empty)."""

    text: str
    returned: int
    matched: int | None
    more_after: bool
    more_before: bool
    first_id: int | None
    last_id: int | None


def ogc_items_get(
    *,
    collection: Collection,
    selection: Selection,
    limit: int,
    offset: int = 0,
    cursor: Cursor | None = None,
) -> ItemsPage:
    """A page of `collection` matching `selection`, features in id order, each with its
    origin (CREDIT_PROPERTIES): the `limit` rows from `offset`, or, with a `cursor`, the
    `limit` rows right after (or before) its id, whatever its depth (`offset` is then
    ignored). On the first page (`offset` 0, no cursor) `matched` is the number of matches
    when the page holds them all, else when at most MATCHED_MAX match and the selection
    has no text search (`q`); None otherwise and
    on other pages (an exact count reads every match, 2 s at 1,000,000 organisations; the
    standard makes it optional).

    Raises OgcError (400, 409) for a selection the collection cannot apply, and 409 for
    the premises, the QPV or the quartiers while that layer is not loaded
    (`premises_layer_missing`, `area_kinds_missing`). Reads only.
    """
    if missing := ogc_layer_missing(collection=collection):
        raise OgcError(409, "LayerNotLoaded", missing)
    where, params = collection.clause(selection)
    feature = collection.feature_sql(staff=selection.staff)
    credit, credit_params = collection.credit()
    direction = cursor.direction if cursor else ""
    first = offset == 0 and cursor is None
    # A text search is not counted beyond its page: its index answers with every match
    # at once (a common word: 400,000 of 1,000,000 rows, 0.5 s), whatever the LIMIT.
    statement = sql.ogc_items(
        feature=feature,
        where=where,
        cursor=direction,
        until=cursor is not None and cursor.until is not None,
        count=first and not selection.query.get("q"),
        credit=credit,
        **_source(collection),
    )
    values = {"limit": limit, "offset": 0 if cursor else offset, "count_max": MATCHED_MAX}
    values["cursor"] = cursor.id if cursor else None
    values["until"] = cursor.until if cursor else None
    values = {**credit_params, **values}
    text, returned, matched, more, first_id, last_id = _run(statement, {**params, **values})
    backward = direction == "before"
    return ItemsPage(
        text=text,
        returned=returned,
        matched=matched if first else None,
        more_after=backward or more,
        more_before=(more if backward else offset > 0 or cursor is not None),
        first_id=first_id,
        last_id=last_id,
    )


def ogc_item_get(*, collection: Collection, selection: Selection, item_id: int) -> str | None:
    """The GeoJSON text of the feature `item_id` of `collection` (None when the caller may
    not see it or it does not exist)."""
    where, params = collection.clause(selection)
    feature = collection.feature_sql(staff=selection.staff)
    credit, credit_params = collection.credit()
    statement = sql.ogc_item(feature=feature, where=where, credit=credit, **_source(collection))
    row = _run(statement, {**params, **credit_params, "item_id": item_id})
    return row[0] if row else None


def ogc_extent_get(*, collection: Collection, selection: Selection) -> list[float] | None:
    """The bounding box [minlon, minlat, maxlon, maxlat] of what `selection` shows of
    `collection`; None without geometry or rows."""
    if not collection.geometry:
        return None
    where, params = collection.clause(selection)
    statement = sql.ogc_extent(
        geometry=collection.geometry, where=where, points=collection.points, **_source(collection)
    )
    box = _run(statement, params)
    return None if box is None or box[0] is None else [float(value) for value in box]


def ogc_layer_missing(*, collection: Collection) -> str:
    """A French "couche non chargée" message when `collection` is the premises, the QPV or
    the quartiers and that layer was never loaded, else "". One query, only for those
    three: their items and tiles answer 409 rather than an empty collection or tile."""
    if collection.layer is PREMISES:
        return premises_layer_missing()
    kind = collection.id.removeprefix("areas-")
    if collection.layer is not AREAS or kind not in (AreaKind.QPV, AreaKind.QUARTIER):
        return ""
    loaded = area_kinds_loaded_get()
    return " ".join(area_kinds_missing(filters=AreaFilters(kinds=(kind,)), loaded=loaded))
