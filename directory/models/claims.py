"""Claims: a person says "this is my organisation" with its SIRET, and is granted its listing;
then, as its owner, may ask for the listing's removal (a moderator decides)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ClaimStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente")
    APPROVED = "acceptee", _("Acceptée")
    REJECTED = "refusee", _("Refusée")


class OrganisationClaim(models.Model):
    """`user` claims `organisation`, proving it with `siret`; a moderator or one of the
    organisation's networks decides. Its history records who decided (django-simple-history).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="organisation_claims",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="claims",
    )
    siret = models.CharField(_("SIRET donné"), max_length=14)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examinée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revendication")
        verbose_name_plural = _("revendications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="claim_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="en-attente"),
                name="claim_one_pending_per_person",
                violation_error_message=_("Une revendication de cette fiche est déjà en attente."),
            ),
            models.CheckConstraint(
                condition=~Q(status="refusee") | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
                violation_error_message=_("Un refus dit pourquoi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class OrganisationEditor(models.Model):
    """`user` edits the listing of `organisation` (and only it), after an accepted claim."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="organisation_editor_roles",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="own_editors",
    )
    claim = models.ForeignKey(
        OrganisationClaim,
        verbose_name=_("revendication"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsable de fiche")
        verbose_name_plural = _("responsables de fiche")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="organisation_editor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class RemovalRequest(models.Model):
    """The owner (or an editor) of `organisation`'s listing asks for its removal, saying
    why; a moderator accepts it (the listing is archived: no longer public, kept with its
    history and provenance, so no import creates it again) or refuses it with a reason."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="removal_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.CASCADE,
        related_name="removal_requests",
    )
    reason = models.TextField(_("motif de la demande"), max_length=2000)
    status = models.CharField(
        _("statut"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decision_note = models.TextField(_("motif du refus"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande de retrait")
        verbose_name_plural = _("demandes de retrait")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="en-attente"),
                name="removal_one_pending_per_organisation",
                violation_error_message=_(
                    "Une demande de retrait de cette fiche est déjà en attente."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="refusee") | ~Q(decision_note=""),
                name="removal_refusal_has_reason",
                violation_error_message=_("Un refus dit pourquoi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"
