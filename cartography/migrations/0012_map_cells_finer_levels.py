# The map's kept cells go three levels finer (issue 20): levels 8-10, cells of 0.003125 down
# to 0.00078125 degrees (about 56 m), so that a city view of a dense city (Paris at 1M)
# sums cells instead of clustering thousands of points per request. The trigger and the
# rebuild of migration 0010 are replaced with the longer ladder, then every cell recounted.

import importlib

from django.db import migrations

CELLS = importlib.import_module("cartography.migrations.0010_map_cells")
LEVELS = 11


def functions(levels: int) -> str:
    """The trigger and rebuild functions of migration 0010 for `levels` levels, then a
    recount of every cell."""
    bound = f"generate_series(0, {CELLS.LEVELS - 1})"
    assert bound in CELLS.FUNCTIONS
    text = CELLS.FUNCTIONS.replace(bound, f"generate_series(0, {levels - 1})")
    trigger, rebuild = text.split("CREATE FUNCTION cartess_map_cells_rebuild")
    rebuild = rebuild.split("CREATE FUNCTION cartess_map_cells_compact")[0]
    return (
        trigger.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
        + "CREATE OR REPLACE FUNCTION cartess_map_cells_rebuild"
        + rebuild
        + "SELECT cartess_map_cells_rebuild();"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0011_third_place_offers_to_services"),
    ]

    operations = [
        migrations.RunSQL(functions(LEVELS), functions(CELLS.LEVELS)),
    ]
