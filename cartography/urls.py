"""Map pages and the land workspace (French URLs of the public contract, DESIGN.md)."""

from django.urls import path
from django.views.generic import RedirectView

from cartography import (
    embed_views,
    export_views,
    land_views,
    place_views,
    space_request_views,
    views,
)
from cartography.history import SITE_HISTORY
from directory.contributions import history_views

app_name = "cartography"

urlpatterns = [
    path("carte/", views.map_page, name="map"),
    # A light map for partners' sites, frameable (cartography/embed_views.py).
    path("embed/carte/", embed_views.embed_map, name="embed-map"),
    path("lieux/", views.places, name="places"),
    path("lieux/carte.geojson", views.places_geojson, name="places-geojson"),
    path("lieux/bail-utilite-sociale/", place_views.social_lease, name="social-lease"),
    path("lieux/reseau/", place_views.place_network, name="place-network"),
    path("lieux/reseau/export.csv", place_views.place_network_export, name="place-network-csv"),
    path(
        "lieux/reseau/datapackage.json",
        export_views.place_network_datapackage,
        name="place-network-datapackage",
    ),
    path("lieux/<slug:slug>/offre/", place_views.place_offer_edit, name="place-offer"),
    path("donnees/carte.gpkg", export_views.public_layers_geopackage_view, name="geopackage"),
    path("donnees/friches/export.csv", export_views.friches_export_csv, name="friches-csv"),
    path(
        "donnees/friches/datapackage.json",
        export_views.friches_datapackage,
        name="friches-datapackage",
    ),
    # /foncier/: staff only (directory.access.land_staff_required) but for the need form and login.
    path("foncier/", land_views.land_list, name="land"),
    # One login page for everyone (/compte/connexion/); the old address still leads there.
    path(
        "foncier/connexion/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="land-login",
    ),
    path("foncier/export.csv", land_views.land_export_csv, name="land-export-csv"),
    path("foncier/export.geojson", land_views.land_export_geojson_view, name="land-export-geojson"),
    path("foncier/sites/nouveau/", land_views.land_site_create, name="land-create"),
    path("foncier/tiers-lieux/", land_views.third_places, name="land-third-places"),
    # The old staff-only offer form: the place's own form replaced it (issue 17).
    path(
        "foncier/tiers-lieux/<slug:slug>/offre/",
        RedirectView.as_view(pattern_name="cartography:place-offer", permanent=True),
        name="third-place-offer",
    ),
    path(
        "foncier/bail-utilite-sociale/",
        place_views.social_lease_report,
        name="land-social-lease",
    ),
    path("foncier/besoins/", land_views.need_list, name="needs"),
    path(
        "foncier/demandes-d-espace/",
        space_request_views.space_requests,
        name="space-requests",
    ),
    path(
        "foncier/demandes-d-espace/<int:pk>/besoin/",
        space_request_views.space_request_to_need,
        name="space-request-to-need",
    ),
    path("foncier/besoins/nouveau/", land_views.need_declare, name="need-declare"),
    path("foncier/besoins/merci/", land_views.need_thanks, name="need-thanks"),
    path("foncier/besoins/<int:pk>/", land_views.need_detail, name="need"),
    path("foncier/besoins/<int:pk>/statut/", land_views.need_status, name="need-status"),
    path("foncier/<slug:slug>/", land_views.land_site, name="land-site"),
    path("foncier/<slug:slug>/modifier/", land_views.land_site_edit, name="land-edit"),
    path("foncier/<slug:slug>/notes/", land_views.land_note_add, name="land-note"),
    path("foncier/<slug:slug>/etape/", land_views.land_stage_move, name="land-stage"),
    path("foncier/<slug:slug>/proposer/", land_views.land_propose, name="land-propose"),
]

# Pages cartography serves under names other apps gave them: config/urls.py adds these to
# the `directory` and `contributions` namespaces, so every name stays as it was.

#: The directory's GeoJSON export is the organisations layer.
directory_urlpatterns = [
    path("annuaire/export.geojson", views.organisation_export_geojson, name="export-geojson"),
]

#: A site's history is the land workspace's (staff only).
contributions_urlpatterns = [
    path(
        "foncier/<slug:slug>/historique/",
        history_views.history,
        {"kind": SITE_HISTORY},
        name="premises-history",
    ),
    path(
        "foncier/<slug:slug>/historique/<int:history_id>/revenir/",
        history_views.revert,
        {"kind": SITE_HISTORY},
        name="premises-revert",
    ),
]
