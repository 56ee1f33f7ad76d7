"""The grid of the organisation map's clusters, and its cells kept by PostgreSQL (issue 20).

The map clusters on a ladder of cell sizes: level 0 is `TOP_CELL` degrees, each next level
half the size. The levels below `KEPT_LEVELS` are kept per cell by triggers (migration
`cartography.0010`, model `MapCell`), so that an unfiltered map at a wide extent sums a few
hundred cells instead of reading every point; finer levels, and every filtered request,
cluster the matching points at request time (`cartography.sql.organisation_map`).
"""

import math

from django.db import connection

from directory.filters import BBox

#: The cell of level 0, in degrees; each level halves it.
TOP_CELL = 0.8
#: Levels 0 to KEPT_LEVELS - 1 (cells of 0.8 down to 0.00078125 degrees, about 56 m) are kept
#: (migrations cartography.0010 and 0011).
KEPT_LEVELS = 11
#: About how many cells span the wider side of the extent (24 to 48).
COLUMNS = 48
#: The level of a map asked for without an extent (cells of 0.4 degrees).
WORLD_LEVEL = 1
#: Tile zoom z clusters on the cells of level z - TILE_LEVEL_OFFSET (`tile_level`).
TILE_LEVEL_OFFSET = 3
#: Finer than this, a cell is a building: no finer level is ever used.
FINEST_LEVEL = 20


def cell_size(level: int) -> float:
    """The side of a cell of `level`, in degrees (the same float PostgreSQL computes)."""
    return TOP_CELL / 2**level


def cluster_level(bbox: BBox | None) -> int:
    """The level whose cells are the smallest at least 1/COLUMNS of the extent's wider side."""
    if bbox is None:
        return WORLD_LEVEL
    span = max(bbox.maxlon - bbox.minlon, bbox.maxlat - bbox.minlat)
    if span <= 0:
        return FINEST_LEVEL
    return min(max(math.floor(math.log2(TOP_CELL * COLUMNS / span)), 0), FINEST_LEVEL)


def tile_level(z: int) -> int:
    """The level whose cells are about the 1/64 of a tile side that the clusters of a tile
    use (`sql.TILE_CLUSTER_CELL`): level z - 3 has cells of 6.4 / 2^z degrees, 1/56 of the
    tile's 360 / 2^z."""
    return max(z - TILE_LEVEL_OFFSET, 0)


def map_cells_compact() -> None:
    """Fold the cells that hold a change row (`MapCell.fresh`) into one row each and drop
    those left empty; the other cells are not read (the import engine calls it after each
    successful run: migration cartography.0014). One statement: changes still uncommitted
    are left alone, stay fresh and are folded next time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cartess_map_cells_compact()")


def map_cells_rebuild() -> None:
    """Recount every cell from the organisations (a repair; what a TRUNCATE of the
    organisations triggers). Reads every organisation with a point, once per level."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cartess_map_cells_rebuild()")
