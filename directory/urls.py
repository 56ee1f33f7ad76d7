"""Public pages of the directory (French URLs of the public contract, DESIGN.md)."""

from django.urls import path

from directory import embed_views, export_views, feeds, legal_views, network_views, views
from directory.freshness import views as freshness_views

app_name = "directory"

# The GeoJSON export (`export-geojson`, annuaire/export.geojson) is cartography's
# organisations layer: config/urls.py adds cartography.urls.directory_urlpatterns to this
# namespace, so the name stays.

urlpatterns = [
    path("", views.home, name="home"),
    path("annuaire/", views.directory, name="directory"),
    path("recherche/", views.search, name="search"),
    path("annuaire/export.csv", views.directory_export_csv, name="export-csv"),
    path(
        "annuaire/datapackage.json",
        export_views.directory_datapackage,
        name="export-datapackage",
    ),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/modifier/", network_views.listing_edit, name="listing-edit"),
    path(
        "organisations/<slug:slug>/confirmer/",
        freshness_views.listing_confirm,
        name="listing-confirm",
    ),
    path(
        "fraicheur/<str:action>/<str:token>/",
        freshness_views.reminder_link,
        name="reminder-link",
    ),
    path("reseaux/<slug:slug>/", network_views.network_detail, name="network"),
    path(
        "reseaux/<slug:slug>/fraicheur/",
        network_views.network_freshness,
        name="network-freshness",
    ),
    path("reseaux/<slug:slug>/jetons/", network_views.network_tokens, name="network-tokens"),
    path(
        "reseaux/<slug:slug>/jetons/<int:pk>/revoquer/",
        network_views.network_token_revoke,
        name="network-token-revoke",
    ),
    path("parcours/", views.pathway, name="pathway"),
    # Embeds for partners' sites (directory/embed_views.py); the map's is cartography's.
    path("embed/parcours/", embed_views.embed_pathway, name="embed-pathway"),
    path("reseaux/<slug:slug>/integrer/", embed_views.network_embed, name="network-embed"),
    path("financements/", views.funding_schemes, name="funding-schemes"),
    path("financements/flux.atom", feeds.funding_feed, name="funding-feed"),
    path("financements/couverture/", views.funding_coverage, name="funding-coverage"),
    path(
        "financements/couverture/export.csv",
        views.funding_coverage_csv,
        name="funding-coverage-csv",
    ),
    path(
        "financements/export.csv",
        export_views.funding_schemes_export_csv,
        name="funding-schemes-export-csv",
    ),
    path(
        "financements/datapackage.json",
        export_views.funding_schemes_datapackage,
        name="funding-schemes-datapackage",
    ),
    path("financements/<slug:slug>/", views.funding_scheme_detail, name="funding-scheme"),
    *[
        path(
            f"donnees/data-inclusion/{table}.{extension}",
            view,
            {"table": table},
            name=f"data-inclusion-{table}-{extension}",
        )
        for table in ("structures", "services")
        for extension, view in (
            ("csv", export_views.data_inclusion_csv),
            ("json", export_views.data_inclusion_json),
        )
    ],
    path(
        "donnees/data-inclusion/datapackage.json",
        export_views.data_inclusion_datapackage,
        name="data-inclusion-datapackage",
    ),
    path("mentions-legales/", legal_views.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", legal_views.personal_data, name="personal-data"),
    path("accessibilite/", legal_views.accessibility_statement, name="accessibility"),
    path("accompagnements/", views.support_offer_list, name="support-offers"),
    path("accompagnements/<slug:slug>/", views.support_offer_detail, name="support-offer"),
]
