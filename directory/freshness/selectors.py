"""Reads of the freshness cycle: who is to be reminded of which listing, and link checks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model

from directory.access import MODERATOR
from directory.freshness.states import (
    FreshnessState,
    freshness_of,
    organisation_freshness_annotate,
)
from directory.models import (
    FreshnessReminder,
    LinkCheck,
    NetworkMembership,
    Organisation,
    OrganisationEditor,
    PublicationStatus,
    ReminderRole,
)


@dataclass
class ReminderEmail:
    """One person and the listings one e-mail reminds them of, with why each one."""

    user: object
    #: (organisation annotated with its freshness, ReminderRole value), obsolete first.
    items: list[tuple[Organisation, str]] = field(default_factory=list)
    #: How many more listings were due: they come in the next reminders.
    left_out: int = 0


def freshness_reminders_plan(*, today: date) -> list[ReminderEmail]:
    """The reminder e-mails due `today`, one per person, ordered by e-mail address.

    A listing that closed (`closed_on` set) is never reminded of. A published listing that
    is "à actualiser" or "obsolète" is sent to its owners (an accepted claim) and to the
    editors of its networks; one that has none of them with an e-mail address (an orphan)
    to the moderators. Only active people with an address are reminded, and nobody of a
    listing they heard about within
    CARTESS_FRESHNESS_REMIND_EVERY_DAYS (so a second run the same day sends nothing). An
    e-mail names CARTESS_FRESHNESS_LISTINGS_PER_EMAIL listings at most, the obsolete and
    oldest first; the others, not recorded as sent, come in the next runs.
    Reads only; each listing carries its `freshness` (states.Freshness) and `link_check`
    (its website's last check, or None).
    """
    listings = {
        o.pk: o
        for o in organisation_freshness_annotate(
            Organisation.objects.filter(
                publication_status=PublicationStatus.PUBLISHED, closed_on__isnull=True
            ),
            today=today,
        )
        .exclude(freshness_state=FreshnessState.FRESH)
        .order_by("name")
    }
    checks = {c.url: c for c in LinkCheck.objects.filter(url__in=_websites(listings))}
    for listing in listings.values():
        listing.freshness = freshness_of(listing)
        listing.link_check = checks.get(listing.website)
    recipients = _recipients(listings.keys())
    recent = _recently_reminded(listings.keys(), today=today)
    emails: dict[int, ReminderEmail] = {}
    for pk, listing in listings.items():
        for user, role in recipients.get(pk, ()):
            if (user.pk, pk) not in recent:
                emails.setdefault(user.pk, ReminderEmail(user)).items.append((listing, role))
    cap = settings.CARTESS_FRESHNESS_LISTINGS_PER_EMAIL
    for email in emails.values():
        email.items.sort(key=_most_urgent_first)
        email.left_out = max(0, len(email.items) - cap)
        del email.items[cap:]
    return sorted(emails.values(), key=lambda email: email.user.email)


def _most_urgent_first(item: tuple[Organisation, str]) -> tuple:
    listing = item[0]
    obsolete = listing.freshness.state == FreshnessState.OBSOLETE
    # Never vouched for sorts before any date.
    return (not obsolete, listing.freshness.last_on or date.min, listing.name)


def _websites(listings: dict) -> set[str]:
    return {listing.website for listing in listings.values() if listing.website}


def _recipients(ids) -> dict[int, list]:
    """Listing id -> [(user, role)]: owners, then network editors; moderators for orphans."""
    found: dict[int, dict] = defaultdict(dict)
    owners = OrganisationEditor.objects.filter(
        organisation__in=ids, user__is_active=True
    ).select_related("user")
    for row in owners.exclude(user__email=""):
        found[row.organisation_id].setdefault(row.user.pk, (row.user, ReminderRole.OWNER))
    memberships = NetworkMembership.objects.filter(member__in=ids).prefetch_related(
        "network__editors__user"
    )
    for membership in memberships:
        for editor in membership.network.editors.all():
            if editor.user.is_active and editor.user.email:
                found[membership.member_id].setdefault(
                    editor.user.pk, (editor.user, ReminderRole.NETWORK)
                )
    moderators = list(
        get_user_model()
        .objects.filter(groups__name=MODERATOR.group, is_active=True)
        .exclude(email="")
        .distinct()
    )
    for pk in ids:
        if not found[pk]:
            found[pk] = {user.pk: (user, ReminderRole.MODERATOR) for user in moderators}
    return {pk: list(people.values()) for pk, people in found.items()}


def _recently_reminded(ids, *, today: date) -> set[tuple[int, int]]:
    since = today - timedelta(days=settings.CARTESS_FRESHNESS_REMIND_EVERY_DAYS)
    return set(
        FreshnessReminder.objects.filter(organisation__in=ids, sent_on__gt=since).values_list(
            "user", "organisation"
        )
    )


def link_check_get(*, url: str) -> LinkCheck | None:
    """The last check of `url`, or None when it was never checked (or `url` is empty)."""
    if not url:
        return None
    return LinkCheck.objects.filter(url=url).first()


def owned_listings_freshness_get(*, user, today: date) -> list[Organisation]:
    """The listings `user` owns (an accepted claim), by name, each with its `freshness`
    (states.Freshness) as of `today`, for the owner's account page. A closed listing
    (`closed_on` set) has nothing to verify: the page shows its closing date instead.
    Reads only, one query."""
    owned = organisation_freshness_annotate(
        Organisation.objects.filter(own_editors__user=user), today=today
    ).order_by("name")
    listings = list(owned)
    for listing in listings:
        listing.freshness = freshness_of(listing)
    return listings
