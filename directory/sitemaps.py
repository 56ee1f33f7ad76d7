"""The directory's public pages for search engines (django.contrib.sitemaps): every published
organisation, funding scheme and support offer, and the directory's static pages.
config/seo.py puts them together with cartography's map: `/sitemap.xml` is their index, each
section is `/sitemap-<section>.xml` in pages (`?p=2`...): page N lists the published rows of
the Nth range of `SITEMAP_PAGE_SIZE` ids that holds any (`IdRangePaginator`)."""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse

from directory import sql
from directory.models import FundingScheme, Organisation, PublicationStatus, SupportOffer

PUBLISHED = PublicationStatus.PUBLISHED
#: Ids per page of a section, so at most as many addresses. The protocol allows 50,000,
#: which one file held for the first 50,000 organisations only, with no index to find the
#: others (issue 20, at a national scale), and took 2.8 s to write. At 1,000,000
#: organisations, a page of 2,000 ids is written in about 27 ms, the index of its 500 pages
#: in 15 ms (config/seo.py then keeps them an hour).
SITEMAP_PAGE_SIZE = 2_000


class IdRangePaginator(Paginator):
    """A section's pages as ranges of `per_page` ids (page N: the Nth range holding any
    published row, `sql.sitemap_ranges`): one short statement finds the pages, and a page
    reads its own range, however deep, where Django's Paginator counts every row and skips
    the pages before with an OFFSET. A page lists at most `per_page` rows (fewer where ids
    were deleted or are drafts). `object_list` is a query set of the section's rows."""

    @cached_property
    def ranges(self) -> list[int]:
        table = self.object_list.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                sql.sitemap_ranges(table), {"published": PUBLISHED.value, "size": self.per_page}
            )
            return [row[0] for row in cursor.fetchall()]

    @cached_property
    def num_pages(self) -> int:
        return max(len(self.ranges), 1)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        if not self.ranges:
            return self._get_page(self.object_list.none(), number, self)
        start = self.ranges[number - 1] * self.per_page
        rows = self.object_list.filter(pk__gte=start, pk__lt=start + self.per_page)
        return self._get_page(rows, number, self)


class _PublishedSitemap(Sitemap):
    """The published rows of `model`, each at `url_name` by slug, modified on `updated_at`."""

    model: type[Organisation | FundingScheme | SupportOffer]
    url_name: str
    limit = SITEMAP_PAGE_SIZE

    @cached_property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self.items(), self.limit)

    def items(self) -> QuerySet:
        """Each row as a dict (`slug`, `updated_at`, and `day`, the date of `updated_at` in
        the site's time zone, as the template writes it): 5,000 model instances and 5,000
        dates formatted by the template's `date` filter took half a page's time (issue 20)."""
        return (
            self.model.objects.filter(publication_status=PUBLISHED)
            .order_by("pk")
            .values("slug", "updated_at", day=TruncDate("updated_at"))
        )

    def location(self, item: dict) -> str:
        return f"{self._around_slug[0]}{item['slug']}{self._around_slug[1]}"

    @cached_property
    def _around_slug(self) -> tuple[str, str]:
        """The path before and after a slug, from one reverse() per file (in the language of
        the request): a slug needs no quoting in a path, and 5,000 reverse() took a fifth
        of a page's time (issue 20)."""
        before, after = reverse(self.url_name, kwargs={"slug": "slug"}).rsplit("slug", 1)
        return before, after

    def lastmod(self, item: dict):
        return item["updated_at"]

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
