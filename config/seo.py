"""What search engines read: `/sitemap.xml` (the directory's sitemaps and the map page) and
`/robots.txt` (pointing to it, keeping crawlers out of the private areas)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
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
