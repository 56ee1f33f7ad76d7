"""The bare SQL beside each endpoint: the statements one request runs, captured through
Django's test client in the bench's own process, then replayed on a raw connection.

The replay sends the very text Django sent (its parameters bound client-side), reads every
row, and rolls back, so the time is PostgreSQL's plus the transfer of the rows: what the
endpoint would cost if Django added nothing. psycopg prepares a statement its connection has
run five times (its default `prepare_threshold`): the replay plans each text once, as the
application does for a few fixed statements (directory.prepared) but not for the others,
whose planning the bare SQL therefore leaves out.
"""

import time
from dataclasses import dataclass

import psycopg
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.http.client import uncached

#: Transaction control the replay brings itself.
_SKIPPED = ("BEGIN", "COMMIT", "ROLLBACK")


@dataclass(frozen=True)
class Capture:
    """The statements of one request of a path, with the status Django answered."""

    path: str
    status: int
    statements: tuple[str, ...]


def sql_capture(*, path: str, cached: bool = False) -> Capture:
    """The SQL of one warm request of `path` (the second of two: caches filled as on a
    running server) through Django's test client, in this process. `cached`: the answer
    itself is kept in the cache, and each of the two requests is made `uncached`."""
    client = Client(SERVER_NAME="127.0.0.1")
    address = uncached if cached else str
    client.get(address(path))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address(path))
    statements = tuple(
        query["sql"]
        for query in captured.captured_queries
        if query["sql"] and not query["sql"].lstrip().upper().startswith(_SKIPPED)
    )
    return Capture(path=path, status=response.status_code, statements=statements)


def raw_connection() -> psycopg.Connection:
    """A new psycopg connection to the database Django is connected to, Django's own
    machinery left out."""
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        dbname=database["NAME"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
    )


def sql_replay_time(*, captures: list[Capture], count: int) -> list[float]:
    """Replay the captures in turn `count` times (each once first, not timed), each replay
    one transaction rolled back; returns its durations in ms. Raises psycopg.Error when a
    statement fails."""
    durations = []
    with raw_connection() as raw:
        for index in range(-len(captures), count):
            statements = captures[index % len(captures)].statements
            started = time.perf_counter()
            with raw.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement.encode())
                    if cursor.description is not None:
                        cursor.fetchall()
            raw.rollback()
            if index >= 0:
                durations.append((time.perf_counter() - started) * 1000)
    return durations
