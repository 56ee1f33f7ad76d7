"""Spatial layers: reference areas (communes, quartiers, QPV) and premises opportunities."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    provenances = GenericRelation("importers.Provenance")

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
    internal_notes = models.TextField(_("notes internes"), blank=True)
    publication_status = models.CharField(
        _("publication"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    provenances = GenericRelation("importers.Provenance")

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
    )
    STAFF_ONLY_FIELDS = ("owner_name", "internal_notes", "publication_status")

    class Meta:
        verbose_name = _("local ou terrain")
        verbose_name_plural = _("locaux et terrains")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=False) | Q(footprint__isnull=False),
                name="premises_has_geometry",
                violation_error_message=_("Un site a une position, une emprise, ou les deux."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="premises_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name
