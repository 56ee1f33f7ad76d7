"""`/tiles/`: vector tiles and their TileJSON (cartography.tiles)."""

from django.urls import re_path

from cartography import tiles

app_name = "tiles"

urlpatterns = [
    re_path(r"^(?P<layer>[\w-]+)\.json$", tiles.tilejson, name="tilejson"),
    re_path(
        r"^(?P<layer>[\w-]+)/(?P<z>-?\d+)/(?P<x>-?\d+)/(?P<y>-?\d+)\.pbf$",
        tiles.tile,
        name="tile",
    ),
]
