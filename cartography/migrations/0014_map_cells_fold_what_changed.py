# The map cells folded where they changed, not everywhere (issue 20). After each successful
# import run the engine folds the change rows into one row per cell
# (`cartess_map_cells_compact`). The fold deleted and rewrote every cell of every level:
# 2,250,000 rows at 1,000,000 organisations, 11.3 s after every run, an unchanged re-run of
# twelve quartiers included. The triggers' change rows are now `fresh` (the column's default),
# the fold reads only the cells that hold one (a partial index finds them), and writes their
# one folded row not fresh. A recount (`cartess_map_cells_rebuild`) writes folded rows too.
# The existing rows start fresh and are folded once here.

import importlib

from django.db import migrations, models

#: Migration 0012's trigger and recount, at its 11 levels.
FINER = importlib.import_module("cartography.migrations.0012_map_cells_finer_levels")

COMPACT_EVERY_CELL = """
CREATE OR REPLACE FUNCTION cartess_map_cells_compact() RETURNS void LANGUAGE sql AS $body$
WITH gone AS (DELETE FROM cartography_mapcell RETURNING level, gx, gy, n, sum_x, sum_y)
INSERT INTO cartography_mapcell (level, gx, gy, n, sum_x, sum_y)
SELECT level, gx, gy, sum(n), sum(sum_x), sum(sum_y) FROM gone
GROUP BY level, gx, gy HAVING sum(n) <> 0;
$body$;
"""

# The cells holding a change row in this snapshot; every row of those cells (the fresh and
# the folded) deleted and summed into one folded row. A change still uncommitted is not
# seen, stays fresh and is folded next time.
COMPACT_FRESH_CELLS = """
CREATE OR REPLACE FUNCTION cartess_map_cells_compact() RETURNS void LANGUAGE sql AS $body$
WITH touched AS (
    SELECT DISTINCT level, gx, gy FROM cartography_mapcell WHERE fresh
), gone AS (
    DELETE FROM cartography_mapcell c USING touched t
    WHERE c.level = t.level AND c.gx = t.gx AND c.gy = t.gy
    RETURNING c.level, c.gx, c.gy, c.n, c.sum_x, c.sum_y
)
INSERT INTO cartography_mapcell (level, gx, gy, n, sum_x, sum_y, fresh)
SELECT level, gx, gy, sum(n), sum(sum_x), sum(sum_y), false FROM gone
GROUP BY level, gx, gy HAVING sum(n) <> 0;
$body$;
"""

_COLUMNS = "INSERT INTO cartography_mapcell (level, gx, gy, n, sum_x, sum_y)\n"
_SUMS = "SELECT l.level, g.gx, g.gy, sum(c.sign), sum(c.sign * c.x), sum(c.sign * c.y)\n"


def rebuild(*, folded: bool) -> str:
    """Migration 0012's recount function, its rows written folded when `folded`."""
    text = FINER.functions(FINER.LEVELS)
    function = "CREATE OR REPLACE FUNCTION cartess_map_cells_rebuild"
    body = function + text.split(function)[1].split("SELECT cartess_map_cells_rebuild();")[0]
    assert _COLUMNS + _SUMS in body
    if folded:
        columns = _COLUMNS.replace("sum_y)", "sum_y, fresh)")
        body = body.replace(_COLUMNS + _SUMS, columns + _SUMS.rstrip("\n") + ", false\n")
    return body


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0013_premises_need_anonymised_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="mapcell",
            name="fresh",
            field=models.BooleanField(db_default=True, default=True, verbose_name="à replier"),
        ),
        migrations.AddIndex(
            model_name="mapcell",
            index=models.Index(
                condition=models.Q(("fresh", True)),
                fields=["level", "gx", "gy"],
                name="mapcell_fresh_idx",
            ),
        ),
        migrations.RunSQL(
            COMPACT_FRESH_CELLS + rebuild(folded=True) + "SELECT cartess_map_cells_compact();",
            COMPACT_EVERY_CELL + rebuild(folded=False),
        ),
    ]
