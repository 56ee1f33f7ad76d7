"""The endpoints of `/ogc/` (OGC API Features, Part 1 Core): JSON for the landing page,
the conformance and the collections; GeoJSON or HTML (`f=html`, or a browser's `Accept`)
for the items. Every refusal is the standard's exception JSON with a French description."""

import json
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from cartography.layers import collection_with_members
from cartography.ogc import pages, params
from cartography.ogc.collections import (
    COLLECTIONS,
    Collection,
    Selection,
    collection_get,
    organisations_notice,
)
from cartography.ogc.credit import collection_credit_get
from cartography.ogc.readers import reader_is_staff
from cartography.ogc.selectors import ItemsPage, ogc_extent_get, ogc_item_get, ogc_items_get
from directory.reader_access import token_refusal

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]


def ogc_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turns an OgcError raised by `view` into the standard's exception JSON; every answer
    varies with `Accept` (a browser gets HTML, a GIS client JSON, from the same URL)."""

    @wraps(view)
    def answering(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except params.OgcError as error:
            response = token_refusal(error.status, error.code, error.description)
        patch_vary_headers(response, ("Accept",))
        return response

    return answering


def _link(request: HttpRequest, href: str, rel: str, media: str, title: str = "") -> dict:
    link = {"href": request.build_absolute_uri(href), "rel": rel, "type": media}
    return {**link, "title": title} if title else link


def _wants_html(request: HttpRequest) -> bool:
    chosen = request.GET.get("f", "")
    if chosen not in ("", "json", "html"):
        raise params.bad_request(_("f vaut json ou html."))
    return chosen == "html" or (
        not chosen and request.headers.get("Accept", "").startswith("text/html")
    )


def _both(request: HttpRequest, href: str, rel: str, title: str = "") -> list[dict]:
    """`rel` links to `href` in JSON (the default for clients) and in HTML (`f=html`)."""
    return [
        _link(request, href, rel, JSON, title),
        _link(request, f"{href}?f=html", rel, HTML, title),
    ]


def _self_links(request: HttpRequest, href: str, *, html: bool) -> list[dict]:
    """`self` in the encoding of this answer, `alternate` in the other one."""
    json_link, html_link = _both(request, href, "")
    own, other = (html_link, json_link) if html else (json_link, html_link)
    return [{**own, "rel": "self"}, {**other, "rel": "alternate"}]


def _json(body: dict) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _selection(request: HttpRequest, collection: Collection) -> Selection:
    return Selection(
        query=request.GET,
        bbox=params.bbox_parse(request.GET.get("bbox")),
        period=params.datetime_parse(request.GET.get("datetime")),
        staff=reader_is_staff(request),
    )


@csrf_exempt  # read-only: any other method must get a 405, not CSRF's 403
@require_safe
@ogc_errors
def landing(request: HttpRequest) -> HttpResponse:
    """`/ogc/`: what the API is and where its parts are, its OpenAPI description
    (`service-desc`) and documentation (`service-doc`); HTML for a browser."""
    html = _wants_html(request)
    body = {
        "title": _("Cartess : l'ESS de Lille en OGC API Features"),
        "description": _("Structures, locaux, zones et financements de l'ESS de Lille."),
        "links": [
            *_self_links(request, reverse("ogc:landing"), html=html),
            *_both(request, reverse("ogc:conformance"), "conformance"),
            *_both(request, reverse("ogc:collections"), "data"),
            _link(
                request,
                f"{reverse('api-schema')}?format=json",
                "service-desc",
                OPENAPI,
                _("Description OpenAPI de l'API"),
            ),
            _link(request, reverse("api-docs"), "service-doc", HTML, _("Documentation de l'API")),
            _link(request, reverse("cartography:map"), "related", HTML, _("La carte")),
        ],
    }
    return pages.landing_html(request, body) if html else _json(body)


@csrf_exempt
@require_safe
@ogc_errors
def conformance(request: HttpRequest) -> HttpResponse:
    """`/ogc/conformance`: the conformance classes implemented."""
    html = _wants_html(request)
    body = {
        "conformsTo": CONFORMANCE,
        "links": _self_links(request, reverse("ogc:conformance"), html=html),
    }
    return pages.conformance_html(request, body) if html else _json(body)


def _collection_json(
    request: HttpRequest, collection: Collection, *, html=False, origins: dict | None = None
) -> dict:
    items = reverse("ogc:items", args=[collection.id])
    selection = Selection(query=QueryDict(), staff=reader_is_staff(request))
    credit = collection_credit_get(collection=collection, staff=selection.staff, origins=origins)
    extent: dict = {}
    box = ogc_extent_get(collection=collection, selection=selection)
    if box:
        extent["spatial"] = {"bbox": [box], "crs": CRS84}
    if collection.temporal:
        extent["temporal"] = {
            "interval": [[None, None]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    body = {
        "id": collection.id,
        "title": str(collection.title),
        "description": credit.description,
        "attribution": credit.attribution,
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            *_self_links(request, reverse("ogc:collection", args=[collection.id]), html=html),
            _link(request, items, "items", GEOJSON, _("Entités en GeoJSON")),
            _link(request, f"{items}?f=html", "items", HTML, _("Entités en HTML")),
        ],
    }
    if credit.licence_url:  # a staff variant is for internal use: no open licence
        body["links"].append(_link(request, credit.licence_url, "license", HTML, credit.licence))
    return {**body, "extent": extent} if extent else body


@csrf_exempt
@require_safe
@ogc_errors
def collections(request: HttpRequest) -> HttpResponse:
    """`/ogc/collections`: every collection with its extent, credit and links."""
    html = _wants_html(request)
    origins: dict = {}  # one query per model, not per collection (areas by kind)
    body = {
        "links": _self_links(request, reverse("ogc:collections"), html=html),
        "collections": [
            _collection_json(request, item, origins=origins) for item in COLLECTIONS.values()
        ],
    }
    return pages.collections_html(request, body) if html else _json(body)


@csrf_exempt
@require_safe
@ogc_errors
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    """`/ogc/collections/<id>`: one collection."""
    chosen = collection_get(collection_id)
    html = _wants_html(request)
    body = _collection_json(request, chosen, html=html)
    return pages.collection_html(request, body, chosen) if html else _json(body)


def _page_link(
    request: HttpRequest, rel: str, offset: int, media: str, cursor: dict | None = None
) -> dict:
    """The link `rel` to this request's page at `offset`; with `cursor` ({"after": id} or
    {"before": id}) in place of the request's own cursor (a range's `before` stays)."""
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["f"] = "html" if media == "text/html" else "json"
    if cursor is not None:
        # A page between `after` and `before` keeps its upper bound in its `next` link.
        kept = "before" if "after" in cursor and request.GET.get("after") else ""
        for name in ("after", "before"):
            if name != kept:
                query.pop(name, None)
        query.update(cursor)
    return _link(request, f"{request.path}?{query.urlencode()}", rel, media)


def _items_links(request, *, offset: int, limit: int, page: ItemsPage, html: bool) -> list:
    """self, alternate, next (while features remain) and prev, next and prev in the
    encoding of this page with a cursor (the id they start after or before), so that
    walking a whole collection costs each page the same."""
    own, other = ("text/html", GEOJSON) if html else (GEOJSON, "text/html")
    links = [
        _page_link(request, "self", offset, own),
        _page_link(request, "alternate", offset, other),
    ]
    if page.more_after and page.last_id is not None:
        after = {"after": str(page.last_id)}
        links.append(_page_link(request, "next", offset + page.returned, own, after))
    if page.more_before:
        before = {"before": str(page.first_id)} if page.first_id is not None else {}
        links.append(_page_link(request, "prev", max(offset - limit, 0), own, before))
    return links


@csrf_exempt
@require_safe
@ogc_errors
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """`/ogc/collections/<id>/items`: a page of features, by bbox, datetime and filters."""
    chosen = collection_get(collection_id)
    params.unknown_parameters(request.GET, accepted=params.COMMON_PARAMETERS | chosen.parameters)
    html = _wants_html(request)
    limit = params.limit_parse(request.GET.get("limit"))
    cursor = params.cursor_parse(request.GET)
    offset = params.offset_parse(request.GET.get("offset"), cursor=cursor is not None)
    selection = _selection(request, chosen)
    page = ogc_items_get(
        collection=chosen, selection=selection, limit=limit, offset=offset, cursor=cursor
    )
    links = _items_links(request, offset=offset, limit=limit, page=page, html=html)
    counts = {"numberReturned": page.returned}
    if page.matched is not None:
        counts = {"numberMatched": page.matched, **counts}
    if html:
        return _items_html(request, chosen, {**counts, **json.loads(page.text)}, links)
    # No `timeStamp`: optional in Part 1, and when present it must be the time the response
    # was generated (OGC's test suite checks it), which would change the ETag every second.
    if chosen.id == "organisations" and (notice := organisations_notice(selection)):
        counts["avertissement"] = notice  # a foreign member, as the map API says it
    body = collection_with_members(page.text, name=chosen.id, links=links, **counts)
    return HttpResponse(body, content_type=GEOJSON)


@csrf_exempt
@require_safe
@ogc_errors
def item(request: HttpRequest, collection_id: str, item_id: str) -> HttpResponse:
    """`/ogc/collections/<id>/items/<featureId>`: one feature (404 if none is visible)."""
    chosen = collection_get(collection_id)
    html = _wants_html(request)
    selection = Selection(query=QueryDict(), staff=reader_is_staff(request))
    known = item_id.isdigit() and len(item_id) < 19  # fits a bigint
    text = (
        ogc_item_get(collection=chosen, selection=selection, item_id=int(item_id))
        if known
        else None
    )
    if text is None:
        message = _("Aucune entité %(id)s dans %(collection)s.")
        raise params.not_found(message % {"id": item_id[:32], "collection": chosen.id})
    if html:
        return _items_html(request, chosen, {"features": [json.loads(text)]}, [])
    feature = json.loads(text)
    feature["links"] = [
        _link(request, request.path, "self", GEOJSON),
        _link(request, reverse("ogc:collection", args=[chosen.id]), "collection", JSON),
    ]
    return HttpResponse(json.dumps(feature, ensure_ascii=False), content_type=GEOJSON)


def _cell(value: object) -> object:
    """A property as a person reads it: nothing for null, a list (kinds, sources) as its
    items separated by commas, a JSON object as JSON."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def _items_html(request: HttpRequest, chosen: Collection, page: dict, links: list) -> HttpResponse:
    features = page["features"]
    names = list(features[0]["properties"]) if features else []
    rows = [
        {
            "id": feature["id"],
            "geometry": (feature["geometry"] or {}).get("type", ""),
            "values": [_cell(feature["properties"][name]) for name in names],
        }
        for feature in features
    ]
    return render(
        request,
        "cartography/ogc_items.html",
        {
            "collection": chosen,
            "names": names,
            "rows": rows,
            "page": page,
            "links": {link["rel"]: link["href"] for link in links},
            "map_url": pages.map_url(chosen, query=request.GET),
        },
    )
