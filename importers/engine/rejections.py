"""Writing a run's rejected rows: COPY, not bulk_create.

A file of 100,000 copies of one identifier leaves 99,999 rejections; bulk_create sends
them as arrays of JSON that the driver escapes value by value in Python (minutes), COPY
streams them (a second or two).
"""

from collections.abc import Iterable

from django.db import connection

from importers.engine.base import Rejection
from importers.models import ImportRejection, ImportRun

_COLUMNS = ("run_id", "row_number", "external_id", "reason", "raw")


def rejections_write(*, run: ImportRun, rejections: Iterable[Rejection]) -> int:
    """Insert `rejections` (their raw already bounded JSON text, importers.engine.cells) as
    rows of `run`. Returns how many were written."""
    table = connection.ops.quote_name(ImportRejection._meta.db_table)
    count = 0
    statement = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for rejection in rejections:
            copy.write_row(
                (
                    run.pk,
                    rejection.row_number,
                    rejection.external_id,
                    rejection.reason,
                    rejection.raw_text,
                )
            )
            count += 1
    return count
