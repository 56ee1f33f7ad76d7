"""The home page's figures, kept by the database (issue 20).

Every change to an organisation, its kinds, a funding scheme or a support offer adds the
change it makes to each figure as a row here: PostgreSQL statement-level triggers on those
tables write them (migration `0032_summary_sightings_indexes`), so imports, forms, the admin,
merges and raw SQL are all counted, set-based, and only when their transaction commits.
A figure is the sum of its rows; `directory.summary.directory_summary_compact` folds them
into one row per figure after each import run.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryDelta(models.Model):
    """One change to one figure of the home page.

    `figure` is `organisations` (published and open), `on_map` (the same, with a point),
    `funding_schemes`, `support_offers` (published) or `kind:<OrganisationKind id>` (published
    organisations carrying that kind, closed ones included).
    """

    figure = models.CharField(_("chiffre"), max_length=40)
    delta = models.BigIntegerField(_("variation"))
    counted_at = models.DateTimeField(_("compté le"))

    class Meta:
        verbose_name = _("variation d'un chiffre de l'accueil")
        verbose_name_plural = _("variations des chiffres de l'accueil")

    def __str__(self) -> str:
        return f"{self.figure} {self.delta:+d}"
