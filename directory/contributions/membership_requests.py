"""A network asks to enrol a listing that is not its member (issue 14, "no takeover").

A network's upload or API token that matches an existing listing outside the network (by
SIRET, RNA id, SIREN or a known identity) changes nothing of it: the importer opens a
request here (`membership_request_open`), and the listing's owners (OrganisationEditor)
or a moderator accept or refuse it (`/moderation/adhesions/`; who may: directory.access).
Acceptance records the NetworkMembership: the network's next upload then updates the
member under the human-edit rule, as for any member. A refusal stays: a later upload of
the same listing does not ask again (the row is refused with the refusal's date).
"""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import user_is_moderator
from directory.models import (
    MembershipRequestStatus,
    NetworkMembershipRequest,
    Organisation,
    OrganisationEditor,
)
from directory.services import network_membership_add


def membership_request_open(
    *, network: Organisation, member: Organisation
) -> NetworkMembershipRequest:
    """The request of `network` to enrol `member`: the pending one, or the last refusal
    (kept: a refused network does not ask again through its uploads), else a new pending
    request, whose creation is e-mailed to the member's owners. Idempotent per pair.

    Writes only the request; nothing of `member`. Raises ValidationError when `network`
    is `member`.
    """
    latest = membership_request_latest(network=network, member=member)
    # After an acceptance whose membership a person removed since, the network asks anew.
    if latest is not None and latest.status != MembershipRequestStatus.ACCEPTED:
        return latest
    if network.pk == member.pk:
        raise ValidationError(_("Un réseau ne peut pas être membre de lui-même."))
    membership_request = NetworkMembershipRequest.objects.create(network=network, member=member)
    transaction.on_commit(lambda: _tell_owners(membership_request))
    return membership_request


def membership_request_latest(
    *, network: Organisation, member: Organisation
) -> NetworkMembershipRequest | None:
    """The last request of `network` to enrol `member`, whatever its status; None when it
    never asked. Reads only."""
    return (
        NetworkMembershipRequest.objects.filter(network=network, member=member)
        .order_by("-created_at", "-pk")
        .first()
    )


def membership_request_accept(
    *, membership_request: NetworkMembershipRequest, user
) -> NetworkMembershipRequest:
    """Accept `membership_request`: its member belongs to its network from now on (the
    NetworkMembership), so the network's uploads update it. Records who decided and
    when. Raises ValidationError when the request was already decided."""
    _check_pending(membership_request)
    with transaction.atomic():
        _decide(membership_request, user, MembershipRequestStatus.ACCEPTED, "")
        network_membership_add(network=membership_request.network, member=membership_request.member)
    return membership_request


def membership_request_refuse(
    *, membership_request: NetworkMembershipRequest, user, reason: str
) -> NetworkMembershipRequest:
    """Refuse `membership_request` with `reason` (required); nothing else changes. Raises
    ValidationError when the request was already decided or no reason is given."""
    _check_pending(membership_request)
    if not reason.strip():
        raise ValidationError(_("Dites pourquoi la demande d'adhésion est refusée."))
    _decide(membership_request, user, MembershipRequestStatus.REFUSED, reason.strip())
    return membership_request


def membership_request_queue_get(*, user) -> QuerySet:
    """The pending requests `user` may decide on, oldest first: every one for moderators,
    those about the listings they own for owners, none for anybody else. Reads only."""
    queryset = NetworkMembershipRequest.objects.filter(
        status=MembershipRequestStatus.PENDING
    ).select_related("network", "member")
    if user_is_moderator(user=user):
        return queryset.order_by("created_at")
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(member__own_editors__user=user).order_by("created_at")


def _check_pending(membership_request: NetworkMembershipRequest) -> None:
    if membership_request.status != MembershipRequestStatus.PENDING:
        raise ValidationError(_("Cette demande d'adhésion a déjà été examinée."))


def _decide(membership_request: NetworkMembershipRequest, user, status: str, reason: str) -> None:
    membership_request.status = status
    membership_request.reason = reason
    membership_request.decided_by = user
    membership_request.decided_at = timezone.now()
    membership_request.full_clean()
    membership_request.save()


def _tell_owners(membership_request: NetworkMembershipRequest) -> None:
    """E-mail the owners of the requested listing (those with an address), if any."""
    emails = sorted(
        {
            email
            for email in OrganisationEditor.objects.filter(
                organisation=membership_request.member
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not emails:
        return
    body = _(
        "Le réseau « %(network)s » demande à compter « %(member)s » parmi ses membres sur "
        "Cartess. Rien n'est modifié sur la fiche tant que la demande n'est pas acceptée.\n\n"
        "Pour accepter ou refuser : %(path)s"
    )
    send_mail(
        subject=_("Cartess : un réseau demande à compter votre structure parmi ses membres"),
        message=body
        % {
            "network": membership_request.network.name,
            "member": membership_request.member.name,
            "path": reverse("contributions:membership-requests"),
        },
        from_email=None,
        recipient_list=emails,
    )
