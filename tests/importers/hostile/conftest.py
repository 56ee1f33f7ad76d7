"""Fixtures of the hostile-input suite: the database's state, table by table."""

import pytest
from django.db import connection

#: What a run records whatever its outcome (importers.engine.services): its Source row,
#: the run itself and, when it succeeds, its rejections.
RUN_BOOKKEEPING = {"importers_source", "importers_importrun", "importers_importrejection"}

#: Tables of change rows that a successful run folds into one row per key
#: (importers.engine.aftercare): what must not change is their sums, not their rows.
FOLDED = {
    "directory_summarydelta": "SELECT figure, sum(delta) FROM directory_summarydelta "
    "GROUP BY figure HAVING sum(delta) <> 0",
    "cartography_mapcell": "SELECT level, gx, gy, sum(n), round(sum(sum_x)::numeric, 9), "
    "round(sum(sum_y)::numeric, 9) FROM cartography_mapcell GROUP BY level, gx, gy "
    "HAVING sum(n) <> 0",
}


def database_state() -> dict[str, tuple[int, str]]:
    """(row count, checksum of every row) of each table but the runs' bookkeeping."""
    state = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in RUN_BOOKKEEPING or table == "spatial_ref_sys":
                continue
            quoted = connection.ops.quote_name(table)
            rows = f"({FOLDED[table]})" if table in FOLDED else quoted
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {rows} t"
            )
            state[table] = cursor.fetchone()
    return state


@pytest.fixture
def unchanged():
    """Call with a callable that must fail: asserts the database is as it was before."""

    def check(action) -> None:
        before = database_state()
        action()
        after = database_state()
        assert {t: v for t, v in after.items() if before.get(t) != v} == {}

    return check
