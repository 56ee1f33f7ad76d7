"""The organisation map's grid cells, kept by the database (issue 20).

Each row is a change to one cell of one level of the grid (`cartography.map_cells`), or a
cell's changes folded into one: how many published, open organisations with a point it gains
or loses and the sums of their coordinates (a cluster's centre is their mean). PostgreSQL
triggers on `directory_organisation` write the changes (migration `cartography.0010`, `fresh`
since 0014); the fold after each import run sums the cells that hold one. The unfiltered map
sums the rows of the cells in view instead of reading every point.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MapCell(models.Model):
    """A change to one grid cell, or its changes folded: `level` picks the cell size
    (`map_cells.cell_size`), `gx` and `gy` the cell (the point snapped to the grid, as
    ST_SnapToGrid does, divided by the size)."""

    level = models.SmallIntegerField(_("niveau"))
    gx = models.IntegerField(_("colonne"))
    gy = models.IntegerField(_("ligne"))
    n = models.BigIntegerField(_("organisations"))
    sum_x = models.FloatField(_("somme des longitudes"))
    sum_y = models.FloatField(_("somme des latitudes"))
    #: A change the triggers added since the cell was last folded (`map_cells_compact`);
    #: False for the one row per cell a fold or a recount writes.
    fresh = models.BooleanField(_("à replier"), default=True, db_default=True)

    class Meta:
        verbose_name = _("maille de la carte")
        verbose_name_plural = _("mailles de la carte")
        indexes = [
            models.Index(fields=["level", "gx", "gy"], name="mapcell_level_cell_idx"),
            # The cells a fold must read: those the changes since the last one touched.
            models.Index(
                fields=["level", "gx", "gy"],
                condition=models.Q(fresh=True),
                name="mapcell_fresh_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}/{self.gx}/{self.gy} {self.n:+d}"
