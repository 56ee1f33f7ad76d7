"""What the engine does once a run succeeded (issue 20): fold the change rows the database
kept during the run (home page figures, map cells) and prune the source's sightings. Each
step is one statement whatever the size of the directory."""

from django.db import connection

from cartography.map_cells import map_cells_compact
from directory.models import Source
from directory.summary import directory_summary_compact
from importers.engine.sql.sightings import SIGHTINGS_PRUNE

#: How many sightings of a source are kept (one is added per unchanged re-run).
SIGHTINGS_KEPT = 3


def run_aftercare(*, source: Source) -> None:
    """Fold the figures and the map cells, then prune `source`'s sightings."""
    directory_summary_compact()
    map_cells_compact()
    sightings_prune(source=source)


def sightings_prune(*, source: Source, kept: int = SIGHTINGS_KEPT) -> int:
    """Delete the sightings of `source` but the newest `kept`, writing first into each
    provenance that only they hold the date they gave it (`Provenance.last_seen_at`), so
    that "vue le" never changes because of pruning. Returns how many were deleted."""
    with connection.cursor() as cursor:
        cursor.execute(SIGHTINGS_PRUNE, {"source_id": source.pk, "kept": kept})
        return cursor.rowcount
