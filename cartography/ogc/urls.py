"""`/ogc/`: OGC API Features, paths with or without a trailing slash (clients differ). Any
collection id reaches the views: an unknown one gets the standard's JSON 404."""

from django.urls import re_path

from cartography.ogc import views

app_name = "ogc"

urlpatterns = [
    re_path(r"^$", views.landing, name="landing"),
    re_path(r"^conformance/?$", views.conformance, name="conformance"),
    re_path(r"^collections/?$", views.collections, name="collections"),
    re_path(r"^collections/(?P<collection_id>[^/]+)/?$", views.collection, name="collection"),
    re_path(r"^collections/(?P<collection_id>[^/]+)/items/?$", views.items, name="items"),
    re_path(
        r"^collections/(?P<collection_id>[^/]+)/items/(?P<item_id>[^/]+)/?$",
        views.item,
        name="item",
    ),
]
