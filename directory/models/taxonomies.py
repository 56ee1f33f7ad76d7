"""Controlled vocabularies of the ESS strategy, seeded by migration with stable slugs."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Taxonomy(models.Model):
    """A term with a stable slug (used in URLs and the API), a French name and an order."""

    slug = models.SlugField(_("identifiant"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language: the seeded names are in the catalogues
        (directory/taxonomy_names.py); a name typed later in the admin shows as typed."""
        return gettext(self.name) if self.name else self.name


class OrganisationKind(Taxonomy):
    """Role of an organisation: support, funder, third place, network, ESS enterprise...

    `update_every_months` is how often a listing of this kind should be confirmed or
    updated by a person (directory.freshness); a listing of several kinds takes the shortest.
    """

    update_every_months = models.PositiveSmallIntegerField(
        _("mise à jour attendue tous les (mois)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Au-delà, la fiche est « à actualiser » ; au double, « obsolète »."),
    )

    class Meta(Taxonomy.Meta):
        verbose_name = _("type d'acteur")
        verbose_name_plural = _("types d'acteurs")


class Stage(Taxonomy):
    """A stage of a project's life cycle, from pré-amorçage to changement d'échelle."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("étape du parcours")
        verbose_name_plural = _("étapes du parcours")


class Sector(Taxonomy):
    """A filière; `naf_prefixes` maps NAF codes (e.g. "38", "47.79") to it where possible."""

    naf_prefixes = ArrayField(
        models.CharField(max_length=6),
        verbose_name=_("préfixes NAF"),
        default=list,
        blank=True,
        help_text=_("Codes NAF (ou leurs débuts) rattachés à cette filière, ex. 38 ou 47.79."),
    )

    class Meta(Taxonomy.Meta):
        verbose_name = _("filière")
        verbose_name_plural = _("filières")


class FundingInstrument(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("instrument de financement")
        verbose_name_plural = _("instruments de financement")


class SupportKind(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("type d'accompagnement")
        verbose_name_plural = _("types d'accompagnement")


class LegalFamily(Taxonomy):
    """A family of legal forms of the loi ESS 2014 (association, coopérative, mutuelle...)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("famille juridique")
        verbose_name_plural = _("familles juridiques")


class ScaleUpStrategy(Taxonomy):
    """A scale-up strategy (Avise): diversification, duplication, fertilisation..."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("stratégie de changement d'échelle")
        verbose_name_plural = _("stratégies de changement d'échelle")
