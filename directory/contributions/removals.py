"""An owner asks for their listing's removal; a moderator decides (`/moderation/retraits/`).

Accepting archives the listing (`publication_status` "archivé"): it leaves every public page
but is kept, with its history and provenance, so that no import publishes it again as a new
record; refusing keeps it public, with the moderator's reason. The person who asked is told
by e-mail either way.
"""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import ClaimStatus, Organisation, PublicationStatus, RemovalRequest

#: The history of a listing archived on request says so.
REMOVAL_REASON = "retrait demandé par la structure"


def removal_request_submit(*, organisation: Organisation, user, reason: str) -> RemovalRequest:
    """Record that `user` asks for `organisation`'s listing to be removed, because `reason`.

    Raises ValidationError (nothing written) for a blank reason or when a request for this
    listing already waits for a decision.
    """
    if not reason.strip():
        raise ValidationError(_("Dites pourquoi la fiche doit être retirée."))
    removal = RemovalRequest(organisation=organisation, requested_by=user, reason=reason.strip())
    removal.full_clean()
    removal.save()
    return removal


def removal_request_pending_for(*, organisation: Organisation) -> RemovalRequest | None:
    """The request to remove `organisation`'s listing waiting for a decision, if any."""
    return RemovalRequest.objects.filter(
        organisation=organisation, status=ClaimStatus.PENDING
    ).first()


def removal_request_queue_get() -> QuerySet:
    """The pending removal requests, oldest first, with their listing and requester."""
    return (
        RemovalRequest.objects.filter(status=ClaimStatus.PENDING)
        .select_related("organisation", "requested_by")
        .order_by("created_at")
    )


def removal_request_accept(*, removal: RemovalRequest, moderator) -> RemovalRequest:
    """Accept `removal`: its listing is archived (kept, no longer public). E-mails the
    person who asked. Raises ValidationError when already decided or asked by `moderator`."""
    _check_decidable(removal, moderator)
    organisation = removal.organisation
    with transaction.atomic():
        organisation.publication_status = PublicationStatus.ARCHIVED
        organisation._change_reason = REMOVAL_REASON
        organisation.save(update_fields=["publication_status", "updated_at"])
        # Its words leave the typo dictionary at the next weekly refresh.
        _decide(removal, moderator, ClaimStatus.APPROVED, "")
    _notify(removal)
    return removal


def removal_request_refuse(*, removal: RemovalRequest, moderator, note: str) -> RemovalRequest:
    """Refuse `removal` with `note` (required), e-mailed to the person who asked."""
    _check_decidable(removal, moderator)
    if not note.strip():
        raise ValidationError(_("Dites pourquoi la fiche reste publiée."))
    _decide(removal, moderator, ClaimStatus.REJECTED, note.strip())
    _notify(removal)
    return removal


def _check_decidable(removal: RemovalRequest, moderator) -> None:
    if removal.status != ClaimStatus.PENDING:
        raise ValidationError(_("Cette demande de retrait a déjà été examinée."))
    if removal.requested_by_id == moderator.pk:
        raise ValidationError(_("Une autre personne doit examiner votre propre demande."))


def _decide(removal: RemovalRequest, moderator, status: str, note: str) -> None:
    removal.status = status
    removal.decision_note = note
    removal.decided_by = moderator
    removal.decided_at = timezone.now()
    removal.save()


def _notify(removal: RemovalRequest) -> None:
    if not removal.requested_by.email:
        return
    if removal.status == ClaimStatus.APPROVED:
        body = _("La fiche « %(name)s » est retirée de Cartess, comme vous l'avez demandé.")
    else:
        body = _(
            "Votre demande de retrait de la fiche « %(name)s » n'a pas été acceptée, pour la "
            "raison suivante :\n\n%(note)s"
        )
    send_mail(
        subject=_("Cartess : votre demande de retrait a été examinée"),
        message=body % {"name": removal.organisation.name, "note": removal.decision_note},
        from_email=None,
        recipient_list=[removal.requested_by.email],
    )
