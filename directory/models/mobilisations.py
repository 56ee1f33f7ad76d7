"""Requests a project holder sends to an actor (issue 16, "Mobiliser") or to a place (issue
17, "Demander un espace"): one model, one inbox, one status for both.

Personal data (who sent it, how to reach them, the project's own words) is erased by
`manage.py mobilisations_purge` after CARTESS_MOBILISATION_RETENTION_MONTHS; what stays
(actor, stage, legal family, sector, status, dates, referrals) feeds the anonymised flows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MobilisationKind(models.TextChoices):
    MOBILISATION = "mobilisation", _("Demande d'accompagnement ou de financement")
    SPACE = "espace", _("Demande d'espace")


class MobilisationStatus(models.TextChoices):
    RECEIVED = "recue", _("Reçue")
    TAKEN = "prise-en-charge", _("Prise en charge")
    REFERRED = "orientee", _("Orientée vers un autre acteur")
    # A context: Django's own catalogue translates a bare "Close" as the verb "Fermer".
    CLOSED = "close", pgettext_lazy("statut d'une demande", "Close")


class HolderProfile(models.TextChoices):
    PERSON = "personne", _("Une personne qui porte un projet")
    STRUCTURE = "structure", _("Une structure qui existe déjà")
    GROUP = "collectif", _("Un collectif pas encore constitué")


class Mobilisation(models.Model):
    """One request to one actor. A referral makes a new request to the other actor
    (`referred_from` the first one, which becomes "orientée")."""

    kind = models.CharField(
        _("type de demande"),
        max_length=12,
        choices=MobilisationKind.choices,
        default=MobilisationKind.MOBILISATION,
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("acteur sollicité"),
        on_delete=models.CASCADE,
        related_name="mobilisations",
    )
    funding_scheme = models.ForeignKey(
        "directory.FundingScheme",
        verbose_name=_("dispositif"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobilisations",
    )
    support_offer = models.ForeignKey(
        "directory.SupportOffer",
        verbose_name=_("accompagnement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mobilisations",
    )
    holder_profile = models.CharField(
        _("vous êtes"), max_length=12, choices=HolderProfile.choices, blank=True
    )
    holder_name = models.CharField(_("nom"), max_length=160, blank=True)
    holder_email = models.EmailField(_("courriel"), blank=True)
    holder_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    project = models.TextField(_("le projet"), blank=True)
    stage = models.ForeignKey(
        "directory.Stage",
        verbose_name=_("étape du projet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_family = models.ForeignKey(
        "directory.LegalFamily",
        verbose_name=_("forme juridique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sector = models.ForeignKey(
        "directory.Sector",
        verbose_name=_("filière"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Issue 17: what a place is asked for.
    space_what = models.CharField(_("ce qu'il vous faut"), max_length=200, blank=True)
    space_from = models.DateField(_("à partir du"), null=True, blank=True)
    space_duration = models.CharField(_("pour combien de temps"), max_length=120, blank=True)
    space_people = models.PositiveSmallIntegerField(_("nombre de personnes"), null=True, blank=True)
    space_budget = models.PositiveIntegerField(_("budget (€)"), null=True, blank=True)

    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=MobilisationStatus.choices,
        default=MobilisationStatus.RECEIVED,
    )
    referred_from = models.ForeignKey(
        "self",
        verbose_name=_("orientée par la demande"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    referral_note = models.TextField(_("note de l'acteur qui oriente"), blank=True)
    #: A place says no place can serve it: the city services may make it a premises need.
    sent_to_city_at = models.DateTimeField(_("transmise à la Ville le"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"))
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("statut changé le"), auto_now_add=True)
    #: When it became "orientée" or "close": the retention period runs from here.
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )

    #: What `mobilisations_purge` empties.
    PERSONAL_FIELDS = (
        "holder_name",
        "holder_email",
        "holder_phone",
        "project",
        "space_what",
        "referral_note",
    )

    class Meta:
        verbose_name = _("demande à un acteur")
        verbose_name_plural = _("demandes aux acteurs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="mobilisation_inbox_idx"),
            models.Index(fields=["anonymised_at", "closed_at"], name="mobilisation_purge_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in (MobilisationStatus.RECEIVED, MobilisationStatus.TAKEN)
