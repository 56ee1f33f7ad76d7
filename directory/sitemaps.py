"""The directory's public pages for search engines (django.contrib.sitemaps): every published
organisation, funding scheme and support offer, and the directory's static pages.
config/seo.py puts them together with cartography's map: `/sitemap.xml` is their index, each
section is `/sitemap-<section>.xml` in pages of `SITEMAP_PAGE_SIZE` (`?p=2`...)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from directory.models import FundingScheme, Organisation, PublicationStatus, SupportOffer

PUBLISHED = PublicationStatus.PUBLISHED
#: Addresses per page of a section. The protocol allows 50,000, which one file held for the
#: first 50,000 organisations only, with no index to find the others (issue 20, at a
#: national scale), and took 2.8 s to write: a page of 5,000 is written in about 0.3 s.
SITEMAP_PAGE_SIZE = 5_000


class _PublishedSitemap(Sitemap):
    """The published rows of `model`, each at `url_name` by slug, modified on `updated_at`."""

    model: type[Organisation | FundingScheme | SupportOffer]
    url_name: str
    limit = SITEMAP_PAGE_SIZE

    def items(self) -> QuerySet:
        return (
            self.model.objects.filter(publication_status=PUBLISHED)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def location(self, item) -> str:
        return reverse(self.url_name, kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """The index's date of the section: the latest change, one step of the `updated_at`
        index (Django's default reads every item for it)."""
        return self.items().order_by("-updated_at").values_list("updated_at", flat=True).first()


class OrganisationSitemap(_PublishedSitemap):
    model = Organisation
    url_name = "directory:organisation"


class FundingSchemeSitemap(_PublishedSitemap):
    model = FundingScheme
    url_name = "directory:funding-scheme"


class SupportOfferSitemap(_PublishedSitemap):
    model = SupportOffer
    url_name = "directory:support-offer"


class StaticPagesSitemap(Sitemap):
    """Pages without a record behind them, by URL name."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def items(self) -> list[str]:
        return self.names

    def location(self, item: str) -> str:
        return reverse(item)
