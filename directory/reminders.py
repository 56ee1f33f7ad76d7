"""Write service of the freshness reminders sent to network editors.

Kept apart from directory.services: it reads through directory.selectors, whose imports
lead back to directory.services (an import cycle).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.models import Organisation
from directory.selectors import network_freshness_get


@dataclass(frozen=True)
class NetworkReminder:
    """One network's editors and the listings of its members to verify or complete."""

    network: Organisation
    recipients: tuple[str, ...]
    to_review: tuple[str, ...]


def network_reminders_send(*, today: date, send: bool) -> list[NetworkReminder]:
    """Remind each network's editors of their members' stale or incomplete listings.

    Only networks with at least one editor who has an email and one listing to review are
    reminded; the email links to the network's freshness dashboard. With `send=False`
    (a dry run) nothing is sent; the reminders are returned either way.
    """
    reminders = []
    for network in Organisation.objects.filter(editors__isnull=False).distinct():
        recipients = tuple(
            sorted(
                email for email in network.editors.values_list("user__email", flat=True) if email
            )
        )
        rows = network_freshness_get(network=network, today=today)
        to_review = tuple(row.member.name for row in rows if not row.complete)
        if recipients and to_review:
            reminders.append(NetworkReminder(network, recipients, to_review))
    if send:
        for reminder in reminders:
            _send_reminder(reminder)
    return reminders


def _send_reminder(reminder: NetworkReminder) -> None:
    url = settings.CARTESS_SITE_URL + reverse(
        "directory:network-freshness", kwargs={"slug": reminder.network.slug}
    )
    listing = "\n".join(f"- {name}" for name in reminder.to_review)
    body = _(
        "Bonjour,\n\nCes fiches des membres de %(network)s sont à vérifier ou à compléter "
        "sur Cartess :\n\n%(listing)s\n\nLe tableau de bord du réseau : %(url)s\n"
    ) % {"network": reminder.network.name, "listing": listing, "url": url}
    send_mail(
        subject=_("Cartess : %(n)s fiches de %(network)s à vérifier")
        % {"n": len(reminder.to_review), "network": reminder.network.name},
        message=body,
        from_email=None,
        recipient_list=list(reminder.recipients),
    )
