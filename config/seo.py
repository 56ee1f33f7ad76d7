"""What search engines read: `/sitemap.xml` (the directory's sitemaps and the map page) and
`/robots.txt` (pointing to it, keeping crawlers out of the private areas)."""

from django.contrib.sitemaps import views as sitemaps_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_safe

from directory.sitemaps import (
    FundingSchemeSitemap,
    OrganisationSitemap,
    StaticPagesSitemap,
    SupportOfferSitemap,
)

SITEMAPS = {
    "pages": StaticPagesSitemap(
        [
            "directory:home",
            "directory:directory",
            "cartography:map",
            "directory:pathway",
            "directory:funding-schemes",
        ]
    ),
    "organisations": OrganisationSitemap,
    "financements": FundingSchemeSitemap,
    "accompagnements": SupportOfferSitemap,
}

#: How long the sitemap's files are kept in the cache (and by crawlers: `max-age`). Written
#: afresh, at 1,000,000 organisations, a page takes about 27 ms and the index 15 ms
#: (directory/sitemaps.py); crawlers read them again and again, and a listing published in
#: the hour waits for the next one (djangoproject.com keeps its own six hours).
SITEMAP_CACHE_SECONDS = 3600
sitemap_index = cache_page(SITEMAP_CACHE_SECONDS)(sitemaps_views.index)
sitemap_section = cache_page(SITEMAP_CACHE_SECONDS)(sitemaps_views.sitemap)

#: Behind a login or for staff: nothing a search engine should list.
PRIVATE_PREFIXES = ("/admin/", "/compte/", "/moderation/", "/foncier/", "/api/", "/alertes/")


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Every crawler may read the public pages, none the `PRIVATE_PREFIXES`; the sitemap's
    absolute address."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
