"""Suggestions from the public: a new listing or a correction, waiting for a moderator."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SuggestionKind(models.TextChoices):
    NEW = "nouvelle", _("Nouvelle fiche")
    CORRECTION = "correction", _("Correction d'une fiche")


class SuggestionStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente")
    APPROVED = "acceptee", _("Acceptée")
    REJECTED = "refusee", _("Refusée")


class Suggestion(models.Model):
    """What a visitor proposes; blank proposed fields mean "no change".

    A correction names its `organisation`; a new listing names itself (`name`) and is
    linked to the organisation created when it is accepted. Nothing is applied before a
    moderator (or an editor of a network of the organisation) accepts it.
    """

    kind = models.CharField(_("nature"), max_length=12, choices=SuggestionKind.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("fiche concernée"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    name = models.CharField(_("nom"), max_length=255, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    street = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)
    email = models.EmailField(_("courriel de la structure"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    message = models.TextField(_("message aux modérateurs"), blank=True)
    author_email = models.EmailField(_("courriel de l'auteur"), blank=True)

    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
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

    #: Proposed fields, in the order the moderation screen shows them.
    PROPOSED_FIELDS = (
        "name",
        "description",
        "street",
        "postcode",
        "city",
        "website",
        "email",
        "phone",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="suggestion_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="nouvelle") & ~Q(name="")
                | Q(kind="correction", organisation__isnull=False),
                name="suggestion_kind_target",
                violation_error_message=_(
                    "Une nouvelle fiche a un nom ; une correction vise une fiche existante."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="refusee") | ~Q(rejection_reason=""),
                name="suggestion_rejection_has_reason",
                violation_error_message=_("Un refus dit pourquoi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.organisation or self.name}"
