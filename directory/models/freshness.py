"""The freshness cycle: reminders sent about listings, and the check of their web links.

A `FreshnessReminder` is one listing named in one reminder e-mail to one person: it makes
the reminders idempotent (nobody hears twice about a listing within
CARTESS_FRESHNESS_REMIND_EVERY_DAYS) and its signed links ("toujours à jour", "modifier")
point to it, so that each link works once. A `LinkCheck` is the last check of one URL (an
organisation's website, a funding scheme's page), keyed by the URL so that a changed
address is simply "not checked yet".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderRole(models.TextChoices):
    """Why this person is reminded of this listing."""

    OWNER = "responsable", _("Responsable de la fiche")
    NETWORK = "reseau", _("Éditeur du réseau")
    MODERATOR = "moderateur", _("Modérateur (fiche sans responsable ni réseau)")


class FreshnessReminder(models.Model):
    """`user` was reminded on `sent_on` to confirm or update `organisation`'s listing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="freshness_reminders",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="freshness_reminders",
    )
    role = models.CharField(_("à quel titre"), max_length=12, choices=ReminderRole.choices)
    sent_on = models.DateField(_("envoyé le"))
    confirmed_at = models.DateTimeField(_("confirmée « toujours à jour » le"), null=True)
    edit_opened_at = models.DateTimeField(_("modification ouverte le"), null=True)

    class Meta:
        verbose_name = _("rappel de fraîcheur")
        verbose_name_plural = _("rappels de fraîcheur")
        ordering = ["-sent_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "sent_on"], name="freshness_reminder_once_a_day"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "user", "sent_on"], name="freshness_reminder_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.user} ({self.sent_on})"


class LinkOutcome(models.TextChoices):
    OK = "ok", _("Répond")
    BROKEN = "casse", _("Page introuvable ou en erreur")
    UNREACHABLE = "injoignable", _("Site injoignable")


class LinkCheck(models.Model):
    """The last check of `url`: when, what it answered, and why it failed if it did."""

    url = models.URLField(_("adresse"), max_length=500, unique=True)
    checked_at = models.DateTimeField(_("vérifiée le"))
    outcome = models.CharField(_("résultat"), max_length=12, choices=LinkOutcome.choices)
    status_code = models.PositiveSmallIntegerField(_("code HTTP"), null=True, blank=True)
    reason = models.CharField(_("raison"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("vérification de lien")
        verbose_name_plural = _("vérifications de liens")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.url}: {self.get_outcome_display()}"

    @property
    def is_ok(self) -> bool:
        return self.outcome == LinkOutcome.OK
