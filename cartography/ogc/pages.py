"""The HTML encoding of `/ogc/` (OGC API Features Part 1, requirement class HTML): the landing
page, the conformance, the collections, one collection, and a page of items or one item, in
the site's layout and language, for a person who opens the API in a browser. The JSON
resources (cartography.ogc.views) stay the default; these answer `f=html` or a browser's
`Accept: text/html`. Each page is built from the same dict as its JSON, so both say the
same."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from cartography.ogc.collections import Collection


def landing_html(request: HttpRequest, body: dict) -> HttpResponse:
    """`/ogc/` for a person: what the service is, where its parts and documentation are."""
    return render(request, "cartography/ogc/landing.html", {"body": body, **_links(body)})


def conformance_html(request: HttpRequest, body: dict) -> HttpResponse:
    """`/ogc/conformance` for a person: the conformance classes, as links."""
    return render(request, "cartography/ogc/conformance.html", {"body": body})


def collections_html(request: HttpRequest, body: dict) -> HttpResponse:
    """`/ogc/collections` for a person: a table of the collections."""
    listed = [{**entry, **_links(entry)} for entry in body["collections"]]
    return render(request, "cartography/ogc/collections.html", {"collections": listed})


def collection_html(request: HttpRequest, body: dict, chosen: Collection) -> HttpResponse:
    """`/ogc/collections/<id>` for a person: its description, extent, links and filters."""
    context = {
        "body": body,
        "collection": chosen,
        "map_url": map_url(chosen, query=QueryDict()),
        "parameters": sorted(chosen.parameters),
        "licence": next(
            (link["title"] for link in body["links"] if link["rel"] == "license"),
            "",
        ),
        **_links(body),
    }
    return render(request, "cartography/ogc/collection.html", context)


def map_url(chosen: Collection, *, query) -> str:
    """The map page, showing what an items page of `chosen` shows when it can: the map takes
    the organisations' filters (the collection's own parameters) as they are."""
    url = reverse("cartography:map")
    if chosen.id != "organisations":
        return url
    kept = [(key, value) for key in chosen.parameters for value in query.getlist(key)]
    return f"{url}?{urlencode(sorted(kept))}" if kept else url


def _links(body: dict) -> dict:
    """The links of a JSON body by relation and encoding: `rel_html`, `rel_json`..."""
    found = {}
    for link in body.get("links", []):
        encoding = "html" if link["type"] == "text/html" else "json"
        found.setdefault(f"{link['rel'].replace('-', '_')}_{encoding}", link["href"])
    return {"link": found}
