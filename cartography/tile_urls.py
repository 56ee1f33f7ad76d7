"""`/tiles/`: vector tiles and their TileJSON (cartography.tiles)."""

from django.urls import re_path

from cartography import tiles

app_name = "tiles"

urlpatterns = [
    # Any segment reaches the views: a bad layer or coordinate gets their JSON 404 or 400.
    re_path(r"^(?P<layer>[^/]+)\.json$", tiles.tilejson, name="tilejson"),
    re_path(
        r"^(?P<layer>[^/]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.pbf$",
        tiles.tile,
        name="tile",
    ),
]
