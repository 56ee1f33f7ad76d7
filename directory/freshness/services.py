"""Writes of the freshness cycle: a confirmation, the reminder e-mails, a link's use.

"Vérifié le" (`Organisation.last_verified_on`) is written here and nowhere else
(tests/directory/freshness/test_verified_on.py reads the code to check it).
"""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from directory.freshness.links import (
    CONFIRM,
    EDIT,
    edit_visit_grant,
    reminder_link_token,
)
from directory.freshness.selectors import ReminderEmail, freshness_reminders_plan
from directory.history import CONFIRM_LINK_REASON, CONFIRM_REASON
from directory.models import FreshnessReminder, Organisation

logger = logging.getLogger(__name__)


def organisation_confirm(
    *, organisation: Organisation, user, today: date, reason: str = CONFIRM_REASON
) -> Organisation:
    """Record that `user` confirmed the listing is still right: "Vérifié le" = `today`.

    The listing's history keeps the confirmation with `user` and `reason`; nothing else of
    the listing changes (not even its modification date).
    """
    organisation.last_verified_on = today
    organisation._change_reason = reason
    organisation._history_user = user
    organisation.save(update_fields=["last_verified_on"])
    return organisation


def reminder_confirm(*, reminder: FreshnessReminder, today: date) -> Organisation:
    """Use `reminder`'s "toujours à jour" link: confirm its listing in its person's name.

    The caller has checked the link (directory.freshness.links.reminder_link_open).
    """
    with transaction.atomic():
        reminder.confirmed_at = timezone.now()
        reminder.save(update_fields=["confirmed_at"])
        return organisation_confirm(
            organisation=reminder.organisation,
            user=reminder.user,
            today=today,
            reason=CONFIRM_LINK_REASON,
        )


def reminder_edit_open(*, reminder: FreshnessReminder, session) -> None:
    """Use `reminder`'s "modifier" link: this visit may edit its listing, once."""
    reminder.edit_opened_at = timezone.now()
    reminder.save(update_fields=["edit_opened_at"])
    edit_visit_grant(session=session, reminder=reminder)


def freshness_reminders_send(*, today: date, dry_run: bool) -> list[ReminderEmail]:
    """Send today's reminder e-mails (freshness_reminders_plan), one per person.

    Each e-mail lists the person's listings with, for each one, a signed "toujours à jour"
    link and a "modifier" link; the FreshnessReminder rows it creates make a second run
    the same day send nothing. A dry run writes and sends nothing. Returns the e-mails
    (sent, or due with `dry_run`). An e-mail that cannot be sent is logged and its rows are
    not kept, so the next run tries again.
    """
    emails = freshness_reminders_plan(today=today)
    if not dry_run:
        for email in emails:
            _send_one(email, today=today)
    return emails


def _send_one(email: ReminderEmail, *, today: date) -> None:
    try:
        with transaction.atomic():
            reminders = FreshnessReminder.objects.bulk_create(
                FreshnessReminder(user=email.user, organisation=listing, role=role, sent_on=today)
                for listing, role in email.items
            )
            _mail(email, reminders)
    except OSError:
        logger.exception("Freshness reminder to user %s not sent", email.user.pk)


def _mail(email: ReminderEmail, reminders: list[FreshnessReminder]) -> None:
    site = settings.CARTESS_SITE_URL
    lines = [
        {
            "listing": listing,
            "role": reminder.get_role_display(),
            "page_url": site + reverse("directory:organisation", kwargs={"slug": listing.slug}),
            "confirm_url": site + _link(reminder, CONFIRM),
            "edit_url": site + _link(reminder, EDIT),
        }
        for (listing, _role), reminder in zip(email.items, reminders, strict=True)
    ]
    body = render_to_string(
        "directory/freshness/reminder_email.txt",
        {
            "user": email.user,
            "lines": lines,
            "left_out": email.left_out,
            "days": settings.CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS,
            "account_url": site + reverse("accounts:login"),
        },
    )
    count = len(lines)
    subject = ngettext(
        "Cartess : %(n)s fiche à confirmer ou mettre à jour",
        "Cartess : %(n)s fiches à confirmer ou mettre à jour",
        count,
    ) % {"n": count}
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[email.user.email])


def _link(reminder: FreshnessReminder, action: str) -> str:
    token = reminder_link_token(reminder=reminder, action=action)
    return reverse("directory:reminder-link", kwargs={"action": action, "token": token})
