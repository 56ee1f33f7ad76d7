"""Who keeps a network's members up to date (the network editors), and the networks' requests
to enrol a listing that is not their member yet."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class NetworkEditor(models.Model):
    """`user` edits the listings of the members of `network` (an organisation of kind reseau)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="network_editor_roles",
    )
    network = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        related_name="editors",
        limit_choices_to={"kinds__slug": "reseau"},
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("éditeur de réseau")
        verbose_name_plural = _("éditeurs de réseau")
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="network_editor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.network}"


class MembershipRequestStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente")
    ACCEPTED = "acceptee", _("Acceptée")
    REFUSED = "refusee", _("Refusée")


class NetworkMembershipRequest(models.Model):
    """`network`'s upload or token matched `member`, a listing that is not its member: the
    network asks to enrol it. Nothing of `member` changes until its owner
    (OrganisationEditor) or a moderator accepts (the NetworkMembership is then created);
    a refusal says why and stays (a later upload does not ask again)."""

    network = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("réseau"),
        on_delete=models.CASCADE,
        related_name="membership_requests_sent",
    )
    member = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=MembershipRequestStatus.choices,
        default=MembershipRequestStatus.PENDING,
    )
    reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("demande d'adhésion à un réseau")
        verbose_name_plural = _("demandes d'adhésion à un réseau")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "member"],
                condition=Q(status="en-attente"),
                name="membership_request_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="refusee") | ~Q(reason=""),
                name="membership_request_refusal_has_reason",
                violation_error_message=_("Un refus dit pourquoi."),
            ),
            models.CheckConstraint(
                condition=~Q(network=F("member")),
                name="membership_request_not_self",
                violation_error_message=_("Un réseau ne peut pas être membre de lui-même."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} → {self.member} ({self.get_status_display()})"
