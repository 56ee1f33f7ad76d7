"""Statements PostgreSQL plans once per connection, not once per request (issue 20).

Django's cursors bind parameters on the client, so PostgreSQL parses and plans every
statement it receives: for the pathway's long fixed statements (`directory.pathway.sql`), the
planning cost as much as running them (1.1 ms of planning for 1.4 ms of execution on the
schemes); the directory's unfiltered page and the credits' sources are prepared too.
`prepared_cursor()` gives a cursor that binds on the server instead, and psycopg prepares
its statements on the connection at their first use (`prepare_threshold` 0 in the settings'
`OPTIONS`: Django's own cursors never prepare, psycopg's client-side binding cannot), so
the next requests on that connection skip parsing and planning.

For fixed statements whose best plan does not depend on their values only (PostgreSQL then
keeps one generic plan): a map's bounding box or a search word, which want a plan of their
own, stay on Django's cursors. The statements name their columns (no `SELECT *`): a
migration that adds a column never changes a prepared statement's result. One that changes
the type of a column they return would make PostgreSQL refuse them on the connections that
prepared them ("cached plan must not change result type") until these are renewed
(`DJANGO_CONN_MAX_AGE`): deploy it as every release is, migrations then a restart. psycopg
forgets its statements after a rollback or a DROP and prepares them again. Queries go
through Django's cursor wrapper: they are counted and logged like any other, their values
written in (`_LoggedWithValues`).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.postgresql.base import (
    TIMESTAMPTZ_OID,
    CursorDebugWrapper,
    ServerBindingCursor,
)
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from psycopg.pq import Format


class _LoggedWithValues(CursorDebugWrapper):
    """Django's query log for a server-bound cursor: the statement with its values written
    in, as Django logs its own (Django would read the server's text, `$1`, or nothing once
    it is prepared): what the debug log, the tests' captured queries and the bench's replay
    of the bare SQL read."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        if use_last_executed_query and not many:
            sql, use_last_executed_query = self.db.ops.compose_sql(sql, params), False
        return super().debug_sql(sql, params, use_last_executed_query, many)


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor of the default database whose statements are prepared on the server, as
    `connection.cursor()` makes them otherwise (health check, connection, time zone of the
    timestamps, query log)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)
    connection.validate_thread_sharing()
    wrapped = (
        _LoggedWithValues(cursor, connection)
        if connection.queries_logged
        else connection.make_cursor(cursor)
    )
    with wrapped:
        yield wrapped
