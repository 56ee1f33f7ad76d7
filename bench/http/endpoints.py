"""What `manage.py bench_http` measures: the issue's pages and APIs, each as a few URLs
(a map panned a little, tiles side by side, pages of a listing) taken in turn."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import Resolver404, resolve

from bench.map_search import CITY_BBOX, REGION_BBOX, _jittered
from bench.reuse import LILLE, tile_of

#: How many URLs of one endpoint the requests take turns on.
VARIANTS = 5
#: The searches (issue 20): a word in thousands of names, a city few of them are in, a typo
#: (only the typo widening finds it), a word typed without its accent, a word in none.
SEARCHES = {
    "search_common": ("recherche, mot courant", "insertion"),
    "search_rare": ("recherche, mot rare", "Valenciennes"),
    "search_typo": ("recherche, faute de frappe", "recylcerie"),
    "search_accents": ("recherche, sans accents", "epicerie"),
    "search_none": ("recherche, aucun résultat", "xylophonistes"),
}
#: Around Lille's Grand'Place, where a visitor sorts by distance (lat, lon).
ORIGIN = (50.6365, 3.0635)


@dataclass(frozen=True)
class Endpoint:
    """One measured page or API: its key in the results, its label, its URLs."""

    key: str
    label: str
    paths: tuple[str, ...]
    #: The server keeps these answers in its cache: each request is timed uncached (the
    #: work of the first request of the hour; the others are read from the cache).
    cached: bool = False

    def missing(self) -> str:
        """Why this endpoint cannot be measured here ("" when it can): its URL is not one
        this project serves yet."""
        try:
            resolve(self.paths[0].split("?")[0])
        except Resolver404:
            return f"{self.paths[0].split('?')[0]} n'existe pas (encore) dans config/urls.py"
        return ""


def _query(path: str, **params) -> str:
    return f"{path}?{urlencode(params, doseq=True)}"


def _map(key: str, label: str, bbox: tuple) -> Endpoint:
    paths = [
        _query("/api/v1/organisations/", bbox=_jittered(bbox, index)) for index in range(VARIANTS)
    ]
    return Endpoint(key, label, tuple(paths))


def _tiles(z: int) -> Endpoint:
    x, y = tile_of(*LILLE, z)
    paths = [f"/tiles/organisations/{z}/{x + shift}/{y}.pbf" for shift in (-1, 0, 1)]
    return Endpoint(f"tile_z{z}", f"tuile z{z} (Lille)", tuple(paths))


def _near(index: int) -> dict:
    lat, lon = ORIGIN
    return {"sort": "distance", "lat": f"{lat + index * 0.002:.4f}", "lon": f"{lon:.4f}"}


def endpoints_get(*, detail_slugs: list[str], sitemap_pages: int = 1) -> list[Endpoint]:
    """The measured endpoints, in the order of the report; `detail_slugs` are organisations
    whose pages are requested in turn; `sitemap_pages`, how many pages the sitemap's
    organisations have (the first and the last are requested in turn)."""
    endpoints = [
        Endpoint("home", "accueil (/)", ("/",)),
        _map("map_city_lille", "carte, ville (Lille)", CITY_BBOX["Lille"]),
        _map("map_city_paris", "carte, ville dense (Paris)", CITY_BBOX["Paris"]),
        _map("map_region_hdf", "carte, région (Hauts-de-France)", REGION_BBOX["Hauts-de-France"]),
        _tiles(14),
        _tiles(7),
    ]
    # Each directory search, then the unified search (issue 16) on the same word and data:
    # its p95 must stay within the directory's.
    endpoints += [
        endpoint
        for key, (label, query) in SEARCHES.items()
        for endpoint in (
            Endpoint(key, label, (_query("/annuaire/", q=query),)),
            Endpoint(
                f"unified_{key}",
                label.replace("recherche", "recherche unifiée"),
                (_query("/recherche/", q=query),),
            ),
        )
    ]
    distance = [_query("/annuaire/", **_near(index)) for index in range(VARIANTS)]
    # The nearest-10: the API's first page of 10 sorted by distance (`limit`).
    nearest = [
        _query("/api/v1/directory/organisations/", **_near(i), limit=10) for i in range(VARIANTS)
    ]
    items = "/ogc/collections/organisations/items"
    endpoints += [
        Endpoint("directory_distance", "annuaire, tri par distance", tuple(distance)),
        Endpoint("nearest_api", "plus proches (API annuaire, 10)", tuple(nearest)),
        Endpoint(
            "detail", "fiche organisation", tuple(f"/organisations/{s}/" for s in detail_slugs)
        ),
        Endpoint("pathway_api", "API parcours (amorçage)", ("/api/v1/pathway/?stage=amorcage",)),
        Endpoint(
            "ogc_items",
            "OGC items, page de 100",
            tuple(_query(items, limit=100, offset=100 * i) for i in range(VARIANTS)),
        ),
    ]
    return endpoints + _other_pages(sitemap_pages=sitemap_pages)


#: Pages and files the issue's list leaves out, measured since the tenth sitting found some
#: of them taking seconds at 1,000,000 organisations (the network of places 10.5 s, the
#: sitemap 2.8 s, the directory's data package 1.2 s, the areas' API 0.4 s, the OGC
#: collections and the TileJSON 0.2 to 0.6 s): every page and API is the target.
def _other_pages(*, sitemap_pages: int) -> list[Endpoint]:
    last = f"/sitemap-organisations.xml?p={sitemap_pages}" if sitemap_pages > 1 else None
    return [
        Endpoint("sitemap", "plan du site (index, hors cache)", ("/sitemap.xml",), cached=True),
        Endpoint(
            "sitemap_page",
            "plan du site, organisations (première et dernière pages, hors cache)",
            tuple(path for path in ("/sitemap-organisations.xml", last) if path),
            cached=True,
        ),
        Endpoint("ogc_collections", "OGC collections", ("/ogc/collections",)),
        Endpoint("tilejson", "TileJSON des organisations", ("/tiles/organisations.json",)),
        Endpoint("areas_api", "API des zones", ("/api/v1/areas/",)),
        Endpoint("directory_package", "datapackage de l'annuaire", ("/annuaire/datapackage.json",)),
        Endpoint("place_network", "réseau des lieux", ("/lieux/reseau/",)),
        Endpoint("places", "lieux (/lieux/)", ("/lieux/",)),
        Endpoint("places_map", "carte des lieux (GeoJSON)", ("/lieux/carte.geojson",)),
        Endpoint("pathway_page", "parcours, page (amorçage)", ("/parcours/?stage=amorcage",)),
        Endpoint("funding_page", "financements (/financements/)", ("/financements/",)),
    ]
