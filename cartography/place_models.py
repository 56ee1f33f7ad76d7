"""What a place of the ESS offers (issue 17): its services, from a small taxonomy, each with
its conditions, and its spaces. Public; kept by the place itself (its claimed owners), its
networks' editors or staff (`directory.access.place_offer_editable_by`).

Loaded with the app's models (`cartography.models` imports this module).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlaceServiceKind(models.Model):
    """One kind of service a place can offer (domiciliation, salle de réunion...): a small
    taxonomy, seeded by a data migration (cartography 0009)."""

    slug = models.SlugField(_("identifiant"), max_length=20, unique=True)
    #: Also kept, per place, in `directory_organisation.place_service_names`, a varchar(80)[]
    #: (migration directory.0042): a longer name needs that column widened too.
    name = models.CharField(_("nom"), max_length=80)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("type de service d'un lieu")
        verbose_name_plural = _("types de services des lieux")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Accessibility(models.TextChoices):
    UNKNOWN = "inconnue", _("Non renseignée")
    ACCESSIBLE = "accessible", _("Accessible en fauteuil roulant")
    PARTIAL = "partielle", _("Partiellement accessible")
    NOT_ACCESSIBLE = "non", _("Non accessible en fauteuil roulant")


class PlaceService(models.Model):
    """A service a place offers, with its conditions: who it is for, its price (or free), on
    reservation or not, its accessibility, and whether the place accepts a bail commercial
    d'utilité sociale for it."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        related_name="place_services",
    )
    kind = models.ForeignKey(
        PlaceServiceKind,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    audience = models.CharField(_("public concerné"), max_length=255, blank=True)
    free = models.BooleanField(_("gratuit"), default=False)
    price = models.CharField(_("tarif"), max_length=255, blank=True)
    on_reservation = models.BooleanField(_("sur réservation"), default=False)
    accessibility = models.CharField(
        _("accessibilité"),
        max_length=10,
        choices=Accessibility.choices,
        default=Accessibility.UNKNOWN,
    )
    social_lease = models.BooleanField(
        _("accepte le bail commercial d'utilité sociale"), default=False
    )
    details = models.TextField(_("précisions"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("service d'un lieu")
        verbose_name_plural = _("services des lieux")
        ordering = ["kind__position", "kind__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                name="place_service_unique_kind",
                violation_error_message=_("Ce lieu propose déjà ce service."),
            ),
            models.CheckConstraint(
                condition=Q(free=False) | Q(price=""),
                name="place_service_free_has_no_price",
                violation_error_message=_("Un service gratuit n'a pas de tarif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} : {self.kind}"


class PlaceSpace(models.Model):
    """A space of a place (a room, a desk area, a kitchen...): its surface, how many people
    it holds and when it is available, in the place's words."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        related_name="place_spaces",
    )
    name = models.CharField(_("nom de l'espace"), max_length=160)
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacité (personnes)"), null=True, blank=True)
    availability = models.CharField(_("disponibilité"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("espace d'un lieu")
        verbose_name_plural = _("espaces des lieux")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
