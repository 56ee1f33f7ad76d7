"""Spatial layers: reference areas (communes, quartiers, QPV) and premises opportunities."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cartography.cell_models import MapCell  # noqa: F401 - the map's kept cells (issue 20)
from directory.models import PublicationStatus


class AreaKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    ASSOCIATED_COMMUNE = "commune-associee", _("Commune associée")
    QUARTIER = "quartier", _("Quartier")
    QPV = "qpv", _("Quartier prioritaire de la politique de la ville (QPV)")
    EPCI = "epci", _("Intercommunalité")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")


class ReferenceArea(models.Model):
    """An official outline: a commune, a commune associée, a quartier of Lille, a QPV...

    `code` is the official code where one exists (INSEE code, QPV code such as QN05906M).
    """

    kind = models.CharField(_("type de zone"), max_length=20, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=160)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("zone parente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    geometry = models.MultiPolygonField(_("contour"), srid=4326)

    class Meta:
        verbose_name = _("zone de référence")
        verbose_name_plural = _("zones de référence")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="area_unique_kind_code"),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="area_kind_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PremisesKind(models.TextChoices):
    FRICHE = "friche", _("Friche")
    VACANT_PREMISES = "local-vacant", _("Local vacant")
    LAND = "terrain", _("Terrain")
    THIRD_PLACE_SPACE = "espace-tiers-lieu", _("Espace dans un tiers-lieu")
    OFFICE_WORKSHOP = "bureau-atelier", _("Bureau ou atelier")


class OwnerType(models.TextChoices):
    CITY = "commune", _("Ville")
    METROPOLE = "metropole", _("Métropole")
    STATE = "etat", _("État")
    OTHER_PUBLIC = "autre-public", _("Autre personne publique")
    SOCIAL_LANDLORD = "bailleur-social", _("Bailleur social")
    ESS = "ess", _("Structure de l'ESS")
    PRIVATE = "prive", _("Propriétaire privé")
    UNKNOWN = "inconnu", _("Non renseigné")


class PremisesStatus(models.TextChoices):
    """Whether the site can host an ESS activity (Cartofriches' site_statut maps onto it)."""

    AVAILABLE = "disponible", _("Disponible")
    SOON_AVAILABLE = "bientot", _("Bientôt disponible")
    UNDER_PROJECT = "en-projet", _("Projet en cours")
    OCCUPIED = "occupe", _("Occupé")
    RECONVERTED = "reconverti", _("Reconverti")
    UNKNOWN = "inconnu", _("Non renseigné")


class PlanningZone(models.TextChoices):
    """Zone types of the plan local d'urbanisme (CNIG `urba_zone_type`)."""

    URBAN = "U", _("U — zone urbaine")
    TO_URBANISE_NOW = "AUc", _("AUc — à urbaniser, constructible")
    TO_URBANISE_LATER = "AUs", _("AUs — à urbaniser, fermée")
    AGRICULTURAL = "A", _("A — zone agricole")
    NATURAL = "N", _("N — zone naturelle")


class Pollution(models.TextChoices):
    YES = "oui", _("Pollution avérée")
    SUSPECTED = "suspectee", _("Pollution suspectée")
    NO = "non", _("Pas de pollution connue")
    UNKNOWN = "inconnu", _("Non renseigné")


class PipelineStage(models.TextChoices):
    """Where city services stand with an opportunity (staff-only, objective 1.7)."""

    IDENTIFIED = "identifie", _("Identifié")
    QUALIFIED = "qualifie", _("Qualifié")
    PROPOSED = "propose", _("Proposé à une structure")
    ALLOCATED = "attribue", _("Attribué")
    ABANDONED = "abandonne", _("Abandonné")


#: The moves the pipeline allows, from each stage. An abandoned or allocated site can be
#: reopened (back to "identifié"): the history keeps every move anyway.
PIPELINE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PipelineStage.IDENTIFIED: (PipelineStage.QUALIFIED, PipelineStage.ABANDONED),
    PipelineStage.QUALIFIED: (
        PipelineStage.PROPOSED,
        PipelineStage.IDENTIFIED,
        PipelineStage.ABANDONED,
    ),
    PipelineStage.PROPOSED: (
        PipelineStage.ALLOCATED,
        PipelineStage.QUALIFIED,
        PipelineStage.ABANDONED,
    ),
    PipelineStage.ALLOCATED: (PipelineStage.IDENTIFIED,),
    PipelineStage.ABANDONED: (PipelineStage.IDENTIFIED,),
}


class Premises(models.Model):
    """A land or premises opportunity that could host ESS activity (objective 1.7).

    A site has a point, an outline, or both. `PUBLIC_FIELDS` may be shown to anyone;
    `STAFF_ONLY_FIELDS` (owner's name, internal notes, publication workflow) only to city
    staff: public pages, the public API and exports read `PUBLIC_FIELDS` and nothing else.
    """

    name = models.CharField(_("nom"), max_length=255)
    slug = models.SlugField(_("identifiant"), max_length=255, unique=True)
    kind = models.CharField(_("type de site"), max_length=20, choices=PremisesKind.choices)
    description = models.TextField(_("description"), blank=True)
    location = models.PointField(_("position"), srid=4326, null=True, blank=True)
    footprint = models.MultiPolygonField(_("emprise"), srid=4326, null=True, blank=True)
    street = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    insee_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    surface_m2 = models.PositiveIntegerField(_("surface du terrain (m²)"), null=True, blank=True)
    built_surface_m2 = models.PositiveIntegerField(_("surface bâtie (m²)"), null=True, blank=True)
    owner_type = models.CharField(
        _("type de propriétaire"), max_length=16, choices=OwnerType.choices, default="inconnu"
    )
    owner_name = models.CharField(_("propriétaire"), max_length=255, blank=True)
    status = models.CharField(
        _("disponibilité"), max_length=12, choices=PremisesStatus.choices, default="inconnu"
    )
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    planning_zone = models.CharField(
        _("zone du PLU"), max_length=3, choices=PlanningZone.choices, blank=True
    )
    pollution = models.CharField(
        _("pollution des sols"), max_length=10, choices=Pollution.choices, default="inconnu"
    )
    third_place = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("tiers-lieu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spaces",
        help_text=_("Pour un espace dans un tiers-lieu : le lieu qui l'accueille."),
    )
    social_lease = models.BooleanField(
        _("accepte le bail commercial d'utilité sociale"),
        default=False,
        help_text=_("Le propriétaire accepte un bail commercial d'utilité sociale (APES)."),
    )
    internal_notes = models.TextField(_("notes internes"), blank=True)
    pipeline_stage = models.CharField(
        _("étape du suivi"),
        max_length=10,
        choices=PipelineStage.choices,
        default=PipelineStage.IDENTIFIED,
    )
    publication_status = models.CharField(
        _("publication"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    #: Every change, by whom and from which screen or source (django-simple-history).
    history = HistoricalRecords()

    PUBLIC_FIELDS = (
        "name",
        "slug",
        "kind",
        "description",
        "location",
        "footprint",
        "street",
        "postcode",
        "city",
        "insee_code",
        "surface_m2",
        "built_surface_m2",
        "owner_type",
        "status",
        "available_from",
        "planning_zone",
        "pollution",
        "third_place",
        "social_lease",
    )
    STAFF_ONLY_FIELDS = ("owner_name", "internal_notes", "pipeline_stage", "publication_status")
    #: What only the city services' role sees, in the admin too (cartography.admin); the
    #: publication status is not public but moderators decide it.
    CONFIDENTIAL_FIELDS = ("owner_name", "internal_notes", "pipeline_stage")
    #: What "revenir à cette version" leaves as it is today (directory.services.history_revert):
    #: the pipeline moves only through /foncier/, which logs each move and allows only some.
    HISTORY_REVERT_KEEPS = ("pipeline_stage",)

    class Meta:
        verbose_name = _("local ou terrain")
        verbose_name_plural = _("locaux et terrains")
        ordering = ["name"]
        permissions = [
            ("access_land_workspace", _("Accéder à l'espace foncier des services de la Ville")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=False) | Q(footprint__isnull=False),
                name="premises_has_geometry",
                violation_error_message=_("Un site a une position, une emprise, ou les deux."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="premises_kind_status_idx"),
            models.Index(fields=["pipeline_stage"], name="premises_stage_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PipelineEvent(models.Model):
    """One move of a site along the pipeline, or a proposal to a need; never edited (append-only).

    `from_stage` equals `to_stage` when the event records a proposal without a move.
    """

    premises = models.ForeignKey(
        Premises, verbose_name=_("site"), on_delete=models.CASCADE, related_name="pipeline_events"
    )
    from_stage = models.CharField(
        _("étape de départ"), max_length=10, choices=PipelineStage.choices
    )
    to_stage = models.CharField(_("nouvelle étape"), max_length=10, choices=PipelineStage.choices)
    note = models.TextField(_("commentaire"), blank=True)
    need = models.ForeignKey(
        "cartography.PremisesNeed",
        verbose_name=_("besoin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pipeline_events",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("étape du suivi")
        verbose_name_plural = _("historique du suivi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["premises", "-created_at"], name="pipeline_premises_idx")]

    def __str__(self) -> str:
        return f"{self.premises}: {self.from_stage} -> {self.to_stage}"


class PremisesNote(models.Model):
    """A dated note of city staff on a site, with its author; kept as written (no edit)."""

    premises = models.ForeignKey(
        Premises, verbose_name=_("site"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["premises", "-created_at"], name="note_premises_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class NeedStatus(models.TextChoices):
    NEW = "nouveau", _("Nouveau")
    IN_PROGRESS = "en-cours", _("En cours d'étude")
    MET = "satisfait", _("Satisfait")
    CLOSED = "clos", _("Clos sans suite")


class PremisesNeed(models.Model):
    """A premises need of an ESS project, declared by its holder (public form) or by staff.

    Contact details are staff-only: a need is never shown to the public.
    """

    title = models.CharField(_("projet"), max_length=200)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure connue de l'annuaire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premises_needs",
    )
    holder_name = models.CharField(_("structure ou porteur de projet"), max_length=200, blank=True)
    contact_name = models.CharField(_("nom du contact"), max_length=160)
    contact_email = models.EmailField(_("courriel du contact"))
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    surface_min_m2 = models.PositiveIntegerField(_("surface minimale (m²)"), null=True, blank=True)
    surface_max_m2 = models.PositiveIntegerField(_("surface maximale (m²)"), null=True, blank=True)
    kinds = ArrayField(
        models.CharField(max_length=20, choices=PremisesKind.choices),
        verbose_name=_("types de lieu recherchés"),
        default=list,
        blank=True,
    )
    quartiers = models.ManyToManyField(
        ReferenceArea,
        verbose_name=_("quartiers souhaités"),
        blank=True,
        limit_choices_to={"kind": AreaKind.QUARTIER},
        related_name="premises_needs",
    )
    budget_per_month = models.PositiveIntegerField(
        _("budget mensuel (€ par mois)"), null=True, blank=True
    )
    needed_from = models.DateField(_("date d'entrée souhaitée"), null=True, blank=True)
    description = models.TextField(_("description du besoin"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.NEW
    )
    #: The space request to places (issue 17) no place could serve, this need was made from.
    space_request = models.OneToOneField(
        "directory.Mobilisation",
        verbose_name=_("demande d'espace d'origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="premises_need",
    )
    created_at = models.DateTimeField(_("déclaré le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    #: When `premises_needs_purge` erased PERSONAL_FIELDS (the personal-data page says when).
    anonymised_at = models.DateTimeField(
        _("coordonnées effacées le"), null=True, blank=True, editable=False
    )

    #: Who declared the need and what they wrote in their own words: erased by
    #: `manage.py needs_purge`; what the city counts (surface, kinds, quartiers, budget,
    #: dates, status, proposals) stays.
    PERSONAL_FIELDS = (
        "holder_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "description",
    )

    class Meta:
        verbose_name = _("besoin de locaux")
        verbose_name_plural = _("besoins de locaux")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(surface_min_m2__isnull=True)
                | Q(surface_max_m2__isnull=True)
                | Q(surface_min_m2__lte=models.F("surface_max_m2")),
                name="need_surface_range_in_order",
                violation_error_message=_(
                    "La surface minimale doit être inférieure ou égale à la surface maximale."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="need_status_idx")]

    def __str__(self) -> str:
        return self.title


class NeedProposal(models.Model):
    """A site proposed to a need by city staff; the site's pipeline records it too."""

    need = models.ForeignKey(
        PremisesNeed, verbose_name=_("besoin"), on_delete=models.CASCADE, related_name="proposals"
    )
    premises = models.ForeignKey(
        Premises, verbose_name=_("site"), on_delete=models.CASCADE, related_name="proposals"
    )
    note = models.TextField(_("commentaire"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposition de site")
        verbose_name_plural = _("propositions de sites")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "premises"], name="proposal_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.premises} -> {self.need}"


# What a place offers, its services and spaces (issue 17): their own module.
from cartography.place_models import (  # noqa: E402, F401
    Accessibility,
    PlaceService,
    PlaceServiceKind,
    PlaceSpace,
)
