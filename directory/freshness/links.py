"""The signed links of a reminder e-mail: "toujours à jour" and "modifier la fiche".

A link carries the id of its FreshnessReminder (one person, one listing, one e-mail) and its
action, signed with Django's TimestampSigner (SECRET_KEY, a salt of its own): it cannot be
made up or changed, it expires after CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS, and it works once
(the reminder records when it was used). Nothing here writes the database; opening the
editor writes the visit's session (`edit_visit_grant`).
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from directory.access import REMINDER_EDIT_SESSION_KEY, organisation_editable_by
from directory.models import FreshnessReminder

SALT = "cartess.freshness.reminder-link"
CONFIRM = "confirmer"
EDIT = "modifier"
ACTIONS = (CONFIRM, EDIT)


class ReminderLinkError(Exception):
    """A link that cannot be followed; `message` says why in French and what to do."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def reminder_link_token(*, reminder: FreshnessReminder, action: str) -> str:
    """The signed, timestamped token of `reminder`'s `action` link (CONFIRM or EDIT)."""
    return signing.TimestampSigner(salt=SALT).sign_object({"r": reminder.pk, "a": action})


def reminder_link_open(*, token: str, action: str) -> FreshnessReminder:
    """The reminder a valid, unused `action` link points to (with its user and listing).

    Raises ReminderLinkError (with a French message) when the token was changed or cut
    (status 400), has expired or was already used (410), or when its person may no longer
    edit the listing (403). Reads only.
    """
    max_age = timedelta(days=settings.CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS)
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ReminderLinkError(_expired_message(), status=410) from error
    except signing.BadSignature as error:
        raise ReminderLinkError(_tampered_message(), status=400) from error
    reminder = (
        FreshnessReminder.objects.select_related("user", "organisation")
        .filter(pk=data.get("r"))
        .first()
    )
    if reminder is None or data.get("a") != action:
        raise ReminderLinkError(_tampered_message(), status=400)
    used_at = reminder.confirmed_at if action == CONFIRM else reminder.edit_opened_at
    if used_at is not None:
        raise ReminderLinkError(_used_message(used_at), status=410)
    user = reminder.user
    if not (
        user.is_active and organisation_editable_by(user=user, organisation=reminder.organisation)
    ):
        raise ReminderLinkError(
            _(
                "Ce lien ne permet plus de modifier cette fiche : vous n'en êtes plus "
                "responsable. Si c'est une erreur, écrivez à l'équipe Cartess."
            ),
            status=403,
        )
    return reminder


def _expired_message() -> str:
    return _(
        "Ce lien a expiré : il n'est valable que %(days)s jours. Connectez-vous à votre "
        "compte pour confirmer ou modifier la fiche, ou attendez le prochain rappel."
    ) % {"days": settings.CARTESS_FRESHNESS_LINK_MAX_AGE_DAYS}


def _tampered_message() -> str:
    return _(
        "Ce lien est incomplet ou a été modifié. Copiez-le en entier depuis le courriel "
        "(certaines messageries le coupent en deux lignes), ou connectez-vous à votre compte."
    )


def _used_message(used_at) -> str:
    return _(
        "Ce lien a déjà servi, le %(date)s : chaque lien ne sert qu'une fois. Pour "
        "confirmer ou modifier à nouveau la fiche, connectez-vous à votre compte."
    ) % {"date": formats.date_format(timezone.localtime(used_at))}


def edit_visit_grant(*, session, reminder: FreshnessReminder) -> None:
    """Let this visit (`session`) edit the reminder's listing, and only it, for
    CARTESS_FRESHNESS_EDIT_VISIT_MINUTES (directory.access.reminder_link_editor_id)."""
    grants = dict(session.get(REMINDER_EDIT_SESSION_KEY, {}))
    until = time.time() + 60 * settings.CARTESS_FRESHNESS_EDIT_VISIT_MINUTES
    grants[reminder.organisation.slug] = {"user": reminder.user_id, "until": until}
    session[REMINDER_EDIT_SESSION_KEY] = grants


def edit_visit_end(*, session, slug: str) -> None:
    """End the visit's right to edit listing `slug` (once its edit is saved)."""
    grants = dict(session.get(REMINDER_EDIT_SESSION_KEY, {}))
    if grants.pop(slug, None) is not None:
        session[REMINDER_EDIT_SESSION_KEY] = grants
