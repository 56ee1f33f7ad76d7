"""Writes of contributions: receive a suggestion, accept or refuse it, tell its author.

Spam is kept out without any third-party service: a hidden field people leave empty
(honeypot), a signed timestamp that refuses forms sent faster than a person types, and a
number of suggestions per IP address and hour (Django's cache).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation, Suggestion, SuggestionKind, SuggestionStatus
from directory.services import (
    OrganisationData,
    organisation_create,
    organisation_listing_edit,
    search_words_refresh,
)

#: A person takes longer than this to fill the form; a robot does not.
MIN_FILL_SECONDS = 3
#: A form older than this is stale (its timestamp could have been harvested).
MAX_FILL_SECONDS = 2 * 3600
RATE_LIMIT = getattr(settings, "CARTESS_SUGGESTIONS_PER_HOUR", 5)
_SIGNER_SALT = "cartess.contribution"


class SpamSuspected(Exception):
    """The form looks sent by a robot (honeypot filled, too fast, forged or stale token)."""


def form_token_issue() -> str:
    """A signed timestamp to put in the form; `form_token_check` reads it back."""
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign("contribuer")


def form_token_check(*, token: str, honeypot: str) -> None:
    """Raise SpamSuspected unless a person plausibly filled the form.

    The honeypot must be empty and the token signed by us, at least MIN_FILL_SECONDS and at
    most MAX_FILL_SECONDS old.
    """
    if honeypot:
        raise SpamSuspected("honeypot")
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        signer.unsign(token, max_age=MAX_FILL_SECONDS)
        signer.unsign(token, max_age=MIN_FILL_SECONDS)
    except signing.SignatureExpired:
        return  # older than the minimum, younger than the maximum: a person
    except signing.BadSignature as error:
        raise SpamSuspected("token") from error
    raise SpamSuspected("too fast")


def contribution_rate_limited(*, ip_address: str) -> bool:
    """Count one suggestion from `ip_address`; True once it sent RATE_LIMIT this hour."""
    key = f"contribuer:{ip_address}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > RATE_LIMIT


@dataclass(frozen=True)
class SuggestionData:
    """What a visitor proposes; `organisation` is None for a new listing."""

    organisation: Organisation | None
    name: str = ""
    description: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    message: str = ""
    author_email: str = ""


def suggestion_submit(*, data: SuggestionData) -> Suggestion:
    """Store a suggestion in the moderation queue (pending). Raises ValidationError."""
    kind = SuggestionKind.CORRECTION if data.organisation else SuggestionKind.NEW
    suggestion = Suggestion(kind=kind, **data.__dict__)
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def suggestion_approve(*, suggestion: Suggestion, moderator) -> Suggestion:
    """Apply `suggestion` (correct the listing, or create the new one) and mark it accepted.

    The listing's history says "suggestion n°<id>" and who accepted it. Emails the author
    when they left an address. Raises ValidationError (nothing written) when the proposed
    values break a rule of the model, or when the suggestion was already decided.
    """
    _check_pending(suggestion)
    reason = _("suggestion n°%(id)s") % {"id": suggestion.pk}
    with transaction.atomic():
        if suggestion.organisation is None:
            suggestion.organisation = _create_listing(suggestion)
            search_words_refresh()
        else:
            values = {n: getattr(suggestion, n) for n in _proposed_listing_fields(suggestion)}
            organisation_listing_edit(
                organisation=suggestion.organisation, values=values, reason=reason
            )
        _decide(suggestion, moderator, SuggestionStatus.APPROVED, "")
    _notify(suggestion)
    return suggestion


def suggestion_reject(*, suggestion: Suggestion, moderator, reason: str) -> Suggestion:
    """Mark `suggestion` refused with `reason` (required), and email the author if known."""
    _check_pending(suggestion)
    if not reason.strip():
        raise ValidationError(_("Dites pourquoi la suggestion est refusée."))
    _decide(suggestion, moderator, SuggestionStatus.REJECTED, reason.strip())
    _notify(suggestion)
    return suggestion


def _check_pending(suggestion: Suggestion) -> None:
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationError(_("Cette suggestion a déjà été examinée."))


def _proposed_listing_fields(suggestion: Suggestion) -> list[str]:
    return [
        name for name in Suggestion.PROPOSED_FIELDS if name != "name" and getattr(suggestion, name)
    ]


def _create_listing(suggestion: Suggestion) -> Organisation:
    values = {n: getattr(suggestion, n) for n in _proposed_listing_fields(suggestion)}
    organisation = organisation_create(data=OrganisationData(name=suggestion.name, **values))
    return organisation


def _decide(suggestion: Suggestion, moderator, status: str, reason: str) -> None:
    suggestion.status = status
    suggestion.rejection_reason = reason
    suggestion.reviewed_by = moderator
    suggestion.reviewed_at = timezone.now()
    suggestion.save()


def _notify(suggestion: Suggestion) -> None:
    if not suggestion.author_email:
        return
    if suggestion.status == SuggestionStatus.APPROVED:
        body = _("Merci : votre suggestion sur « %(target)s » a été acceptée et publiée.")
    else:
        body = _(
            "Merci pour votre suggestion sur « %(target)s ». Elle n'a pas été retenue, "
            "pour la raison suivante :\n\n%(reason)s"
        )
    target = suggestion.organisation.name if suggestion.organisation else suggestion.name
    send_mail(
        subject=_("Cartess : votre suggestion a été examinée"),
        message=body % {"target": target, "reason": suggestion.rejection_reason},
        from_email=None,
        recipient_list=[suggestion.author_email],
    )
