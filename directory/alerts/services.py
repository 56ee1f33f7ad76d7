"""Writes of saved searches: ask to follow a search, confirm, unsubscribe, forget.

No account: the address is proved by the confirmation link it receives (a page with a
"Confirmer" button, so that a mail scanner following links confirms nothing). Robots are
kept out by a honeypot (the view) and a number of requests per IP address and hour.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.alerts.criteria import criteria_clean, criteria_url
from directory.alerts.links import CONFIRM, MANAGE, UNSUBSCRIBE, alert_link_url
from directory.contributions.services import hourly_rate_limited
from directory.models import SavedSearch


def alert_request_rate_limited(*, ip_address: str) -> bool:
    """Count one request from `ip_address`; True past CARTESS_ALERTS_PER_HOUR."""
    return hourly_rate_limited(
        scope="alertes", ip_address=ip_address, per_hour=settings.CARTESS_ALERTS_PER_HOUR
    )


def saved_search_request(*, email: str, page: str, query: str) -> SavedSearch:
    """Ask that `email` follows `page`'s results for `query`; e-mail the confirmation link.

    The criteria are validated and normalised by `criteria_clean` (raises ValidationError,
    in French). The same address asking again for the same search gets the link again; an
    address already following it is told so, with the link to manage it; one that had
    unsubscribed must confirm again. Returns the saved search (unconfirmed unless it was).
    The e-mail is sent once the request is stored.
    """
    criteria = criteria_clean(page=page, query=query)
    with transaction.atomic():
        saved_search, _created = SavedSearch.objects.select_for_update().get_or_create(
            email=email.strip().lower(), page=page, query=criteria
        )
        if saved_search.unsubscribed_at is not None:
            saved_search.unsubscribed_at = saved_search.confirmed_at = None
            saved_search.created_at = timezone.now()
            saved_search.save(update_fields=["unsubscribed_at", "confirmed_at", "created_at"])
    _request_mail(saved_search)
    return saved_search


def _request_mail(saved_search: SavedSearch) -> None:
    active = saved_search.is_active
    context = {
        "search_url": criteria_url(saved_search=saved_search),
        "page": saved_search.get_page_display(),
        "days": settings.CARTESS_ALERTS_UNCONFIRMED_DAYS,
        "confirm_url": "" if active else alert_link_url(saved_search=saved_search, action=CONFIRM),
        "manage_url": alert_link_url(saved_search=saved_search, action=MANAGE),
    }
    if active:
        subject = _("Cartess : vous suivez déjà cette recherche")
    else:
        subject = _("Cartess : confirmez votre alerte")
    body = render_to_string("alerts/email/request.txt", context | {"active": active})
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[saved_search.email])


def saved_search_confirm(*, saved_search: SavedSearch) -> SavedSearch:
    """Confirm the address (once: a second confirmation changes nothing); a search one had
    left is followed again."""
    if saved_search.confirmed_at is None or saved_search.unsubscribed_at is not None:
        saved_search.confirmed_at = saved_search.confirmed_at or timezone.now()
        saved_search.unsubscribed_at = None
        saved_search.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return saved_search


def saved_search_unsubscribe(*, saved_search: SavedSearch) -> SavedSearch:
    """Stop the digests of `saved_search` at once; `saved_searches_purge` deletes it at the
    next run of `alerts_digest`. A second unsubscription changes nothing."""
    if saved_search.unsubscribed_at is None:
        saved_search.unsubscribed_at = timezone.now()
        saved_search.save(update_fields=["unsubscribed_at"])
    return saved_search


def saved_searches_purge(*, now: datetime) -> int:
    """Delete the saved searches left (unsubscribed) and those not confirmed within
    CARTESS_ALERTS_UNCONFIRMED_DAYS of their request, with what was announced to them.
    Returns how many saved searches were deleted."""
    stale = now - timedelta(days=settings.CARTESS_ALERTS_UNCONFIRMED_DAYS)
    left = SavedSearch.objects.filter(unsubscribed_at__isnull=False)
    unconfirmed = SavedSearch.objects.filter(confirmed_at__isnull=True, created_at__lt=stale)
    deleted = left.delete()[1].get(SavedSearch._meta.label, 0)
    return deleted + unconfirmed.delete()[1].get(SavedSearch._meta.label, 0)


def unsubscribe_url(*, saved_search: SavedSearch) -> str:
    """The absolute one-click unsubscribe link of `saved_search` (for e-mails)."""
    return alert_link_url(saved_search=saved_search, action=UNSUBSCRIBE)
