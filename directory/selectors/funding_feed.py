"""The entries of the funding feed (`/financements/flux.atom`): new schemes and schemes about
to close, among those `/financements/` shows for the same filters. Reads only."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from directory.models import FundingScheme
from directory.selectors.funding import FundingFilters, funding_scheme_list

#: A scheme is "new" this many days after it was first listed.
FEED_NEW_DAYS = 60
#: A scheme "closes soon" this many days before its closing date (as the alerts say).
FEED_CLOSING_DAYS = 30
FEED_MAX_ENTRIES = 100


@dataclass(frozen=True)
class FeedEntry:
    """One entry: the scheme, why it is there (`new` or `closing`) and when that became
    true (`updated`: when it was listed, or when its closing date came within
    `FEED_CLOSING_DAYS`), so that a feed reader shows it once as news."""

    scheme: FundingScheme
    reason: str
    updated: datetime


def funding_feed_entries(*, filters: FundingFilters, today: date) -> list[FeedEntry]:
    """The published schemes matching `filters` that were listed within `FEED_NEW_DAYS`
    or close within `FEED_CLOSING_DAYS` of `today` (a scheme both new and closing appears
    once, as closing), latest news first, at most `FEED_MAX_ENTRIES`. A closed scheme
    (closing date past) is left out. Seven queries (nine with `q`)."""
    since = timezone.make_aware(datetime.combine(today - timedelta(days=FEED_NEW_DAYS), time()))
    entries = []
    for scheme in funding_scheme_list(filters=filters):
        if scheme.closes_on is not None and scheme.closes_on < today:
            continue
        if scheme.closes_on is not None and scheme.closes_on <= today + timedelta(
            days=FEED_CLOSING_DAYS
        ):
            window = scheme.closes_on - timedelta(days=FEED_CLOSING_DAYS)
            moment = timezone.make_aware(datetime.combine(window, time()))
            entries.append(FeedEntry(scheme=scheme, reason="closing", updated=moment))
        elif scheme.created_at >= since:
            entries.append(FeedEntry(scheme=scheme, reason="new", updated=scheme.created_at))
    entries.sort(key=lambda entry: (entry.updated, entry.scheme.pk), reverse=True)
    return entries[:FEED_MAX_ENTRIES]
