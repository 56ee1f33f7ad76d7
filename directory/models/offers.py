"""What an ESS structure can activate: funding schemes and support offers."""

from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.search import SEARCH_CONFIG, ImmutableUnaccent

from .organisations import PublicationStatus


class TerritoryScope(models.TextChoices):
    """How far an offer reaches; `territory_areas` gives the exact outline when known."""

    QUARTIER = "quartier", _("Quartier")
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Métropole / intercommunalité")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    NATIONAL = "national", _("France entière")
    EUROPE = "europe", _("Union européenne")


class Recurrence(models.TextChoices):
    PERMANENT = "permanente", _("Permanente")
    ONE_OFF = "ponctuelle", _("Ponctuelle")
    RECURRING = "recurrente", _("Récurrente")


class SupportCost(models.TextChoices):
    FREE = "gratuit", _("Gratuit")
    PARTLY_FUNDED = "partiel", _("Partiellement pris en charge")
    PAID = "payant", _("Payant")
    UNKNOWN = "inconnu", _("Non renseigné")


class Offer(models.Model):
    """What funding schemes and support offers share: who is eligible, at which stage, where.

    An empty `sectors` or `eligible_legal_families` means "open to all", not "unknown".
    """

    name = models.CharField(_("nom"), max_length=255)
    slug = models.SlugField(_("identifiant"), max_length=255, unique=True)
    description = models.TextField(
        _("présentation"),
        blank=True,
        help_text=_("Texte public, écrit pour les porteurs de projet."),
    )
    #: Caveats of whoever sourced the record (dates read, figures that conflict, points not
    #: verified): for the staff, never shown to the public (issue 19).
    sourcing_note = models.TextField(
        _("note de sourcing (équipe)"),
        blank=True,
        help_text=_("Réservée à l'équipe : réserves sur les dates, chiffres, points non vérifiés."),
    )
    url = models.URLField(_("page de référence"), max_length=500, blank=True)
    stages = models.ManyToManyField(
        "directory.Stage", verbose_name=_("étapes couvertes"), related_name="%(class)ss"
    )
    eligible_legal_families = models.ManyToManyField(
        "directory.LegalFamily",
        verbose_name=_("familles juridiques éligibles"),
        blank=True,
        related_name="%(class)ss",
        help_text=_("Vide : toutes les familles juridiques."),
    )
    sectors = models.ManyToManyField(
        "directory.Sector",
        verbose_name=_("filières"),
        blank=True,
        related_name="%(class)ss",
        help_text=_("Vide : toutes les filières."),
    )
    territory_scope = models.CharField(
        _("échelle du territoire"), max_length=12, choices=TerritoryScope.choices, blank=True
    )
    territory_label = models.CharField(_("territoire"), max_length=255, blank=True)
    territory_areas = models.ManyToManyField(
        "cartography.ReferenceArea",
        verbose_name=_("zones couvertes"),
        blank=True,
        related_name="%(class)ss",
        help_text=_("Contours précis du territoire, quand ils sont connus."),
    )
    publication_status = models.CharField(
        _("publication"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
    )
    last_verified_on = models.DateField(_("vérifié le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundingScheme(Offer):
    """A funding scheme (dispositif de financement) and the stages of the life cycle it covers."""

    #: The scheme's identifier for reusers (the `id` of the etalab `dispositif-aide` export):
    #: drawn by PostgreSQL once, on insert, and never changed, whatever the slug becomes.
    uuid = models.UUIDField(
        _("identifiant public (UUID)"), db_default=RandomUUID(), unique=True, editable=False
    )
    funders = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("financeurs"),
        blank=True,
        related_name="funding_schemes",
    )
    funders_label = models.CharField(
        _("financeurs (libellé de la source)"),
        max_length=255,
        blank=True,
        help_text=_("Les financeurs tels que la source les nomme, rattachés ou non à une fiche."),
    )
    instruments = models.ManyToManyField(
        "directory.FundingInstrument", verbose_name=_("instruments"), related_name="schemes"
    )
    scale_up_strategies = models.ManyToManyField(
        "directory.ScaleUpStrategy",
        verbose_name=_("stratégies de changement d'échelle"),
        blank=True,
        related_name="schemes",
    )
    co_financeable_with = models.ManyToManyField(
        "self",
        verbose_name=_("cofinançable avec"),
        symmetrical=True,
        blank=True,
        help_text=_("Dispositifs qu'une source dit articulés avec celui-ci pour cofinancer."),
    )
    scale_up_source = models.TextField(
        _("source des stratégies et des cofinancements"),
        blank=True,
        help_text=_("D'où viennent les stratégies de changement d'échelle et les cofinancements."),
    )
    amount_min = models.DecimalField(
        _("montant minimum (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("montant maximum (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_text = models.TextField(
        _("montants (selon la source)"), blank=True, help_text=_("Tels que la source les écrit.")
    )
    eligibility_text = models.TextField(_("conditions d'éligibilité"), blank=True)
    #: Full text on the name, the presentation and who is eligible (`eligibility_text`).
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
            + SearchVector("eligibility_text", weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    recurrence = models.CharField(
        _("récurrence"), max_length=12, choices=Recurrence.choices, blank=True
    )
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(_("clôture"), null=True, blank=True)
    #: Every change, by whom and from which screen or source (django-simple-history); the
    #: search vector is derived, so it is left out (simple-history has no GeneratedField
    #: support). Bulk SQL imports write no history row: their ImportRun records them.
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(Offer.Meta):
        verbose_name = _("dispositif de financement")
        verbose_name_plural = _("dispositifs de financement")
        indexes = [
            GinIndex(fields=["search_vector"], name="scheme_search_idx"),
            GinIndex(
                OpClass(ImmutableUnaccent(Lower("name")), name="gin_trgm_ops"),
                name="scheme_name_trgm_idx",
            ),
            models.Index(fields=["closes_on"], name="scheme_closes_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=F("amount_max")),
                name="scheme_amount_range",
                violation_error_message=_("Le montant minimum dépasse le maximum."),
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(opens_on__lte=F("closes_on")),
                name="scheme_dates_in_order",
                violation_error_message=_("La clôture précède l'ouverture."),
            ),
        ]


class SupportOffer(Offer):
    """A support offer (accompagnement): incubation, DLA, mentoring, premises..."""

    provider = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure qui accompagne"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_offers",
        help_text=_("Vide quand la source ne nomme pas l'opérateur (ex. DLA du Nord)."),
    )
    provider_label = models.CharField(
        _("opérateur (libellé de la source)"), max_length=255, blank=True
    )
    kinds = models.ManyToManyField(
        "directory.SupportKind", verbose_name=_("types d'accompagnement"), related_name="offers"
    )
    cost = models.CharField(
        _("coût"), max_length=10, choices=SupportCost.choices, default=SupportCost.UNKNOWN
    )
    cost_details = models.CharField(_("précisions sur le coût"), max_length=255, blank=True)
    #: The scale-up strategies the offer serves, as a scheme's (issue 16); no source of the
    #: seed says it of an offer yet, so editors set it in the admin.
    scale_up_strategies = models.ManyToManyField(
        "directory.ScaleUpStrategy",
        verbose_name=_("stratégies de changement d'échelle"),
        blank=True,
        related_name="support_offers",
    )
    scale_up_source = models.TextField(
        _("source des stratégies"),
        blank=True,
        help_text=_("D'où vient la liste des stratégies de changement d'échelle servies."),
    )
    eligibility_text = models.TextField(
        _("public visé (selon la source)"),
        blank=True,
        help_text=_("Qui peut en bénéficier, tel que la source l'écrit."),
    )
    #: Full text on the name, the presentation and who is eligible (`eligibility_text`).
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
            + SearchVector("eligibility_text", weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    #: Every change, by whom and from which screen or source (django-simple-history); the
    #: search vector is derived, so it is left out (simple-history has no GeneratedField
    #: support). Bulk SQL imports write no history row: their ImportRun records them.
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(Offer.Meta):
        verbose_name = _("offre d'accompagnement")
        verbose_name_plural = _("offres d'accompagnement")
        indexes = [
            GinIndex(fields=["search_vector"], name="support_search_idx"),
            GinIndex(
                OpClass(ImmutableUnaccent(Lower("name")), name="gin_trgm_ops"),
                name="support_name_trgm_idx",
            ),
        ]
