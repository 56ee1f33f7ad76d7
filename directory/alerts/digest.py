"""The digest of a saved search: the new schemes its page shows, and the deadlines coming.

Run by `manage.py alerts_digest` (weekly, importers/schedule.py). Each confirmed subscriber
gets one e-mail naming the matching schemes added to Cartess since the search was confirmed
and not yet announced to it, and the matching schemes closing within DEADLINE_DAYS whose
deadline was not yet announced; nothing at all when there is nothing. Each scheme is
announced once per kind (`AlertAnnouncement`), so a run repeated sends nothing twice.
Every e-mail carries the one-click unsubscribe link (also as `List-Unsubscribe`, RFC 8058)
and the link to manage the subscription.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.alerts.criteria import criteria_url, saved_search_schemes_get
from directory.alerts.links import MANAGE, alert_link_url
from directory.alerts.services import saved_searches_purge, unsubscribe_url
from directory.models import AlertAnnouncement, AnnouncementKind, FundingScheme, SavedSearch

logger = logging.getLogger(__name__)

#: Deadlines this close are announced (issue 16).
DEADLINE_DAYS = 30


@dataclass
class Digest:
    """What one saved search is told: new schemes, then deadlines coming (soonest first)."""

    saved_search: SavedSearch
    new: list[FundingScheme] = field(default_factory=list)
    closing: list[FundingScheme] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.closing)


@dataclass
class DigestReport:
    sent: list[Digest] = field(default_factory=list)
    deleted: int = 0


def _closes_soon(scheme: FundingScheme, today: date) -> bool:
    return bool(scheme.closes_on) and today <= scheme.closes_on <= today + timedelta(
        days=DEADLINE_DAYS
    )


def digest_get(*, saved_search: SavedSearch, today: date) -> Digest:
    """What `saved_search` has not been told yet on `today` (reads only)."""
    announced = set(saved_search.announcements.values_list("scheme_id", "kind"))
    digest = Digest(saved_search=saved_search)
    for scheme in saved_search_schemes_get(saved_search=saved_search, today=today):
        is_new = (
            scheme.created_at >= saved_search.confirmed_at
            and (scheme.pk, AnnouncementKind.NEW) not in announced
        )
        if is_new:
            digest.new.append(scheme)
        elif (
            _closes_soon(scheme, today) and (scheme.pk, AnnouncementKind.DEADLINE) not in announced
        ):
            digest.closing.append(scheme)
    digest.closing.sort(key=lambda scheme: (scheme.closes_on, scheme.name))
    return digest


def _announcements(digest: Digest, today: date) -> list[AlertAnnouncement]:
    """The new schemes, and every deadline the e-mail shows (a new scheme's too)."""
    rows = [(scheme, AnnouncementKind.NEW) for scheme in digest.new]
    rows += [
        (scheme, AnnouncementKind.DEADLINE)
        for scheme in [*digest.new, *digest.closing]
        if _closes_soon(scheme, today)
    ]
    return [
        AlertAnnouncement(saved_search=digest.saved_search, scheme=scheme, kind=kind)
        for scheme, kind in rows
    ]


def _scheme_url(scheme: FundingScheme) -> str:
    return settings.CARTESS_SITE_URL + reverse(
        "directory:funding-scheme", kwargs={"slug": scheme.slug}
    )


def _news(digest: Digest) -> str:
    """ "2 nouveaux dispositifs, 1 clôture proche" (what is not there is not said)."""
    parts = []
    if digest.new:
        count = len(digest.new)
        parts.append(
            ngettext("%(n)s nouveau dispositif", "%(n)s nouveaux dispositifs", count) % {"n": count}
        )
    if digest.closing:
        count = len(digest.closing)
        parts.append(
            ngettext("%(n)s clôture proche", "%(n)s clôtures proches", count) % {"n": count}
        )
    return ", ".join(parts)


def _message(digest: Digest) -> EmailMessage:
    saved_search = digest.saved_search
    leave_url = unsubscribe_url(saved_search=saved_search)
    body = render_to_string(
        "alerts/email/digest.txt",
        {
            "new": [(scheme, _scheme_url(scheme)) for scheme in digest.new],
            "closing": [(scheme, _scheme_url(scheme)) for scheme in digest.closing],
            "days": DEADLINE_DAYS,
            "page": saved_search.get_page_display(),
            "search_url": criteria_url(saved_search=saved_search),
            "manage_url": alert_link_url(saved_search=saved_search, action=MANAGE),
            "unsubscribe_url": leave_url,
        },
    )
    subject = _("Cartess, votre recherche suivie : %(news)s") % {"news": _news(digest)}
    headers = {
        "List-Unsubscribe": f"<{leave_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return EmailMessage(subject=subject, body=body, to=[saved_search.email], headers=headers)


def _send(digest: Digest, today: date) -> None:
    """Send `digest` and record what it announced, together: a failed send records nothing."""
    with transaction.atomic():
        AlertAnnouncement.objects.bulk_create(_announcements(digest, today))
        digest.saved_search.last_digest_at = timezone.now()
        digest.saved_search.save(update_fields=["last_digest_at"])
        _message(digest).send()


def alert_digests_send(*, today: date) -> DigestReport:
    """Delete what is no longer kept (`saved_searches_purge`), then send each confirmed
    saved search its digest when it has something to say. A subscriber whose e-mail fails
    is logged and left for the next run; the others are sent."""
    report = DigestReport(deleted=saved_searches_purge(now=timezone.now()))
    active = SavedSearch.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).order_by("pk")
    for saved_search in active:
        digest = digest_get(saved_search=saved_search, today=today)
        if digest.is_empty:
            continue
        try:
            _send(digest, today)
        except OSError as error:  # SMTP and socket errors
            logger.warning("Digest of saved search %s not sent: %s", saved_search.pk, error)
            continue
        report.sent.append(digest)
    return report
