"""URL configuration of Cartess."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from cartography import urls as cartography_urls
from cartography.api import AreaListApi, OrganisationMapApi, PremisesListApi
from config.api_docs import ApiDocsView
from config.seo import SITEMAPS, robots_txt, sitemap_index, sitemap_section
from directory import urls as directory_urls
from directory.api import (
    DirectoryOrganisationDetailApi,
    DirectoryOrganisationListApi,
    FundingSchemeListApi,
    PathwayApi,
    SupportOfferListApi,
)
from directory.contributions import urls as contributions_urls
from directory.views import healthz
from importers.web.api import NetworkMembersApi
from importers.web.jobs_api import NetworkMembersJobApi

# JSON under /api/, the site's French pages elsewhere (config/api_errors.py).
handler400 = "config.api_errors.bad_request"
handler403 = "config.api_errors.permission_denied"
handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"

admin.site.site_header = _("Administration de Cartess")
admin.site.site_title = _("Administration de Cartess")
admin.site.index_title = _("Tableau de bord")

# Path values are `str`, not `slug`/`uuid`: any value reaches the view and gets its JSON
# 404, also when DEBUG shows Django's HTML page for a path that matches no route.
api_v1 = [
    path("organisations/", OrganisationMapApi.as_view(), name="organisations"),
    path("areas/", AreaListApi.as_view(), name="areas"),
    path("premises/", PremisesListApi.as_view(), name="premises"),
    path(
        "directory/organisations/",
        DirectoryOrganisationListApi.as_view(),
        name="directory-organisations",
    ),
    path(
        "directory/organisations/<str:slug>/",
        DirectoryOrganisationDetailApi.as_view(),
        name="directory-organisation",
    ),
    path("pathway/", PathwayApi.as_view(), name="pathway"),
    path("funding-schemes/", FundingSchemeListApi.as_view(), name="funding-schemes"),
    path("support-offers/", SupportOfferListApi.as_view(), name="support-offers"),
    path("networks/<str:slug>/members/", NetworkMembersApi.as_view(), name="network-members"),
    path(
        "networks/<str:slug>/members/jobs/<str:job>/",
        NetworkMembersJobApi.as_view(),
        name="network-members-job",
    ),
]


def with_pages_of_cartography(urls, extra: list):
    """`urls`' routes and namespace, with the pages cartography serves under its names
    (the directory's GeoJSON export, a site's history): the directory never imports
    cartography, the project puts them together."""
    return include(([*urls.urlpatterns, *extra], urls.app_name))


# The pages: French at their plain URLs, English under /en/ (config/i18n.py).
pages = i18n_patterns(
    path("", with_pages_of_cartography(directory_urls, cartography_urls.directory_urlpatterns)),
    path("", include("cartography.urls")),
    path("", include("importers.web.urls")),
    path("", include("importers.web.duplicate_urls")),
    path("", include("directory.mobilisations.urls")),
    path("compte/", include("directory.account_urls")),
    path("compte/", include("directory.accounts.urls")),
    path(
        "",
        with_pages_of_cartography(contributions_urls, cartography_urls.contributions_urlpatterns),
    ),
    path("", include("directory.alerts.urls")),
    prefix_default_language=False,
)

urlpatterns = [
    *pages,
    # The header's language switch (Django's set_language: a POST that sets the cookie).
    path("langue/", include("django.conf.urls.i18n")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # OGC API Features (GDAL, QGIS): cartography/ogc/.
    path("ogc/", include("cartography.ogc.urls")),
    # Vector tiles and TileJSON of the same layers: cartography/tiles.py.
    path("tiles/", include("cartography.tile_urls")),
    path("api/docs/", ApiDocsView.as_view(), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    # The index of the sections, each in pages (directory/sitemaps.py).
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        {"sitemaps": SITEMAPS, "template_name": "seo/sitemap.xml"},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("admin/", admin.site.urls),
]
