"""The Atom feed of funding schemes (`/financements/flux.atom`), with Django's syndication
framework: new schemes and schemes about to close, filtered like `/financements/`."""

from datetime import date

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.pathway.forms import FundingFilterForm
from directory.selectors.funding_feed import FeedEntry, funding_feed_entries


class FundingSchemeFeed(Feed):
    """Atom 1.0; `get_object` receives the validated filters (see `funding_feed`)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args, **kwargs) -> HttpRequest:
        return request

    def title(self, request: HttpRequest) -> str:
        return _("Cartess : nouveaux financements de l'ESS et clôtures proches")

    def subtitle(self, request: HttpRequest) -> str:
        return _(
            "Les dispositifs de financement ajoutés récemment et ceux qui ferment dans les "
            "30 jours, à Lille, Hellemmes et Lomme."
        )

    def link(self, request: HttpRequest) -> str:
        query = request.GET.urlencode()
        return reverse("directory:funding-schemes") + (f"?{query}" if query else "")

    def items(self, request: HttpRequest) -> list[FeedEntry]:
        form = FundingFilterForm(request.GET)
        form.is_valid()  # checked by the view
        today = date.today()
        return funding_feed_entries(filters=form.filters(today=today), today=today)

    def item_title(self, item: FeedEntry) -> str:
        if item.reason == "closing":
            return _("Clôture le %(date)s : %(name)s") % {
                "date": formats.date_format(item.scheme.closes_on, "j F Y"),
                "name": item.scheme.name,
            }
        return _("Nouveau : %(name)s") % {"name": item.scheme.name}

    def item_description(self, item: FeedEntry) -> str:
        return item.scheme.description

    def item_link(self, item: FeedEntry) -> str:
        return reverse("directory:funding-scheme", kwargs={"slug": item.scheme.slug})

    def item_guid(self, item: FeedEntry) -> str:
        # One entry per scheme and reason: "new" then "closing" are two pieces of news.
        return f"{self.item_link(item)}#{item.reason}"

    def item_guid_is_permalink(self, item: FeedEntry) -> bool:
        return False

    def item_updateddate(self, item: FeedEntry):
        return item.updated

    def item_pubdate(self, item: FeedEntry):
        return item.updated


@require_safe
def funding_feed(request: HttpRequest) -> HttpResponse:
    """`/financements/flux.atom`: 400 (in French, plain text) when a filter is malformed."""
    form = FundingFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.error_text(), status=400, content_type="text/plain; charset=utf-8")
    return FundingSchemeFeed()(request)
