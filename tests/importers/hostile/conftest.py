"""Fixtures of the hostile-input suite: the database's state, table by table."""

import pytest
from django.db import connection

#: What a run records whatever its outcome (importers.engine.services): its Source row,
#: the run itself and, when it succeeds, its rejections.
RUN_BOOKKEEPING = {"importers_source", "importers_importrun", "importers_importrejection"}


def database_state() -> dict[str, tuple[int, str]]:
    """(row count, checksum of every row) of each table but the runs' bookkeeping."""
    state = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in RUN_BOOKKEEPING or table == "spatial_ref_sys":
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
                f"FROM {quoted} t"
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
