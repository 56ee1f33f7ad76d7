"""What remains of a listing merged into another: its old address, which now leads to the
listing that absorbed it (directory.merging)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationAlias(models.Model):
    """The slug and id of a listing merged into `organisation` (301 from its old page).

    `organisation` is a plain foreign key, so that when the survivor is itself merged
    later, the merge moves its aliases along with every other relation.
    """

    slug = models.SlugField(_("ancien identifiant"), max_length=255, unique=True)
    former_id = models.PositiveBigIntegerField(_("ancien numéro"), unique=True)
    former_name = models.CharField(_("ancien nom"), max_length=255)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("fiche qui l'a absorbée"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    merged_at = models.DateTimeField(_("fusionnée le"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fusionnée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The absorbed listing's fields as they were (directory.records.organisation_snapshot).
    snapshot = models.JSONField(_("fiche absorbée"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("fiche fusionnée")
        verbose_name_plural = _("fiches fusionnées")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.former_name} → {self.organisation_id}"
