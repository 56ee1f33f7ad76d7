"""Writes of contributions: suggestions and claims; accept or refuse them, tell their author.

Spam is kept out without any third-party service: a hidden field people leave empty
(honeypot), a signed timestamp that refuses forms sent faster than a person types, and a
number of suggestions per IP address and hour (Django's cache).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.contributions.selectors import NETWORK_FIRST_DAYS
from directory.edit_credit import TEAM, edit_credit_for, organisation_edit_credit_note
from directory.models import (
    ClaimStatus,
    NetworkEditor,
    Organisation,
    OrganisationClaim,
    OrganisationEditor,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from directory.records import OrganisationData
from directory.search_words import search_words_add_on_commit
from directory.services import organisation_create, organisation_listing_edit

#: A person takes longer than this to fill the form; a robot does not.
MIN_FILL_SECONDS = 3
#: A form older than this is stale (its timestamp could have been harvested).
MAX_FILL_SECONDS = 2 * 3600
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


def hourly_rate_limited(*, scope: str, ip_address: str, per_hour: int) -> bool:
    """Count one request of kind `scope` from `ip_address` in the cache; True past
    `per_hour` requests in the hour. The one per-address limit of the public forms
    (suggestions, alerts, mobilisations)."""
    key = f"{scope}:{ip_address}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > per_hour


def contribution_rate_limited(*, ip_address: str) -> bool:
    """Count one suggestion from `ip_address`; True past CARTESS_SUGGESTIONS_PER_HOUR."""
    return hourly_rate_limited(
        scope="contribuer", ip_address=ip_address, per_hour=settings.CARTESS_SUGGESTIONS_PER_HOUR
    )


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
    """Store a suggestion in the moderation queue (pending). Raises ValidationError.

    A suggestion about a network's member goes to that network's editors first: they are
    e-mailed at once, and moderators see it after the others for NETWORK_FIRST_DAYS (see
    `suggestion_queue_get`).
    """
    kind = SuggestionKind.CORRECTION if data.organisation else SuggestionKind.NEW
    suggestion = Suggestion(kind=kind, **data.__dict__)
    suggestion.full_clean()
    suggestion.save()
    if suggestion.organisation is not None:
        transaction.on_commit(lambda: _tell_network_editors(suggestion))
    return suggestion


def _tell_network_editors(suggestion: Suggestion) -> None:
    """E-mail the editors of the networks `suggestion`'s organisation belongs to."""
    recipients = sorted(
        set(
            NetworkEditor.objects.filter(
                network__memberships_as_network__member=suggestion.organisation
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return
    url = settings.CARTESS_SITE_URL + reverse("contributions:review", args=[suggestion.pk])
    send_mail(
        subject=_("Cartess : une suggestion sur « %(name)s », membre de votre réseau")
        % {"name": suggestion.organisation.name},
        message=_(
            "Une suggestion vient d'être faite sur la fiche de « %(name)s ». Votre réseau "
            "l'examine en premier : les modérateurs ne s'en saisissent qu'après "
            "%(days)s jours.\n\n%(url)s"
        )
        % {"name": suggestion.organisation.name, "days": NETWORK_FIRST_DAYS, "url": url},
        from_email=None,
        recipient_list=recipients,
    )


def suggestion_approve(*, suggestion: Suggestion, moderator) -> Suggestion:
    """Apply `suggestion` (correct the listing, or create the new one) and mark it accepted.

    The listing's history says "suggestion n°<id>" and who accepted it; the map credits the
    correction as the page does, by the role of who accepted it (its network's editor, else
    the Cartess team: directory.edit_credit). Emails the author when they left an address.
    Raises ValidationError (nothing written) when the proposed values break a rule of the
    model, or when the suggestion was already decided.
    """
    _check_pending(suggestion)
    reason = _("suggestion n°%(id)s") % {"id": suggestion.pk}
    with transaction.atomic():
        if suggestion.organisation is None:
            suggestion.organisation = _create_listing(suggestion)
            search_words_add_on_commit(organisation_ids=[suggestion.organisation.pk])
        else:
            values = {n: getattr(suggestion, n) for n in _proposed_listing_fields(suggestion)}
            credit = edit_credit_for(organisation=suggestion.organisation, user=moderator)
            organisation_listing_edit(
                organisation=suggestion.organisation, values=values, reason=reason, credit=credit
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
    # A listing the public proposed is typed by a person, accepted by the team.
    organisation_edit_credit_note(organisation_ids=[organisation.pk], credit=TEAM)
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


def claim_submit(
    *, user, organisation: Organisation, siret: str, message: str
) -> OrganisationClaim:
    """Record that `user` claims `organisation`, proven by `siret` (already 14 valid digits).

    The SIRET must be the organisation's; when the listing has no SIRET, its SIREN must be
    the organisation's SIREN. Raises ValidationError with a French message when it does not
    match, when the listing has no identifier to compare with, when `user` already edits it
    or already has a pending claim for it, or when `user` sent CARTESS_CLAIMS_PER_DAY
    claims in the last 24 hours; nothing is written then.
    """
    _check_claims_per_day(user)
    _check_claim_siret(organisation, siret)
    if OrganisationEditor.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(_("Vous pouvez déjà modifier cette fiche."))
    if OrganisationClaim.objects.filter(
        user=user, organisation=organisation, status=ClaimStatus.PENDING
    ).exists():
        raise ValidationError(
            _("Vous avez déjà une revendication en attente pour cette organisation.")
        )
    claim = OrganisationClaim(
        user=user, organisation=organisation, siret=siret, message=message.strip()
    )
    claim.full_clean()
    claim.save()
    return claim


def _check_claims_per_day(user) -> None:
    """Raise ValidationError when `user` sent CARTESS_CLAIMS_PER_DAY claims in 24 hours."""
    limit = settings.CARTESS_CLAIMS_PER_DAY
    since = timezone.now() - timedelta(days=1)
    if OrganisationClaim.objects.filter(user=user, created_at__gte=since).count() >= limit:
        raise ValidationError(
            _(
                "Vous avez envoyé %(limit)s revendications ces dernières 24 heures : c'est le "
                "maximum. Attendez la décision sur les premières, ou réessayez demain."
            )
            % {"limit": limit}
        )


def _check_claim_siret(organisation: Organisation, siret: str) -> None:
    """Raise ValidationError (on the field `siret`) unless `siret` identifies `organisation`."""
    if organisation.siret:
        matches = siret == organisation.siret
        error = _("Ce SIRET n'est pas celui de la fiche « %(name)s ».")
    elif organisation.siren:
        matches = siret[:9] == organisation.siren
        error = _("Ce SIRET n'appartient pas à l'entreprise (SIREN %(siren)s) de cette fiche.")
    else:
        matches = False
        error = _(
            "Cette fiche n'a ni SIRET ni SIREN à comparer : proposez d'abord le SIRET par "
            "« Suggérer une correction », puis revendiquez-la."
        )
    if not matches:
        message = error % {"name": organisation.name, "siren": organisation.siren}
        raise ValidationError({"siret": message})


def claim_approve(*, claim: OrganisationClaim, moderator) -> OrganisationClaim:
    """Accept `claim`: its author may edit that organisation's listing from now on.

    The claim's history records `moderator` as the person who accepted it. Emails the
    claimant. Raises ValidationError when the claim was already decided or is the
    moderator's own.
    """
    _check_claim_decidable(claim, moderator)
    with transaction.atomic():
        _decide_claim(claim, moderator, ClaimStatus.APPROVED, "")
        OrganisationEditor.objects.get_or_create(
            user=claim.user, organisation=claim.organisation, defaults={"claim": claim}
        )
    _notify_claimant(claim)
    return claim


def claim_reject(*, claim: OrganisationClaim, moderator, reason: str) -> OrganisationClaim:
    """Refuse `claim` with `reason` (required) and email it to the claimant."""
    _check_claim_decidable(claim, moderator)
    if not reason.strip():
        raise ValidationError(_("Dites pourquoi la revendication est refusée."))
    _decide_claim(claim, moderator, ClaimStatus.REJECTED, reason.strip())
    _notify_claimant(claim)
    return claim


def _check_claim_decidable(claim: OrganisationClaim, moderator) -> None:
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("Cette revendication a déjà été examinée."))
    if claim.user_id == moderator.pk:
        raise ValidationError(_("Une autre personne doit examiner votre propre revendication."))


def _decide_claim(claim: OrganisationClaim, moderator, status: str, reason: str) -> None:
    claim.status = status
    claim.rejection_reason = reason
    claim.reviewed_by = moderator
    claim.reviewed_at = timezone.now()
    claim._history_user = moderator
    claim._change_reason = _("revendication examinée")
    claim.save()


def _notify_claimant(claim: OrganisationClaim) -> None:
    if not claim.user.email:
        return
    if claim.status == ClaimStatus.APPROVED:
        body = _(
            "Votre revendication de « %(name)s » est acceptée : vous pouvez désormais "
            "modifier sa fiche sur Cartess (bouton « Modifier la fiche »)."
        )
    else:
        body = _(
            "Votre revendication de « %(name)s » n'a pas été acceptée, pour la raison "
            "suivante :\n\n%(reason)s"
        )
    send_mail(
        subject=_("Cartess : votre revendication a été examinée"),
        message=body % {"name": claim.organisation.name, "reason": claim.rejection_reason},
        from_email=None,
        recipient_list=[claim.user.email],
    )
