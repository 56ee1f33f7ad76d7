"""Runs never lie: a database fault fails the whole run, a run that died is marked
interrupted, and every run stops at its deadline. The locks are real, held by another
connection; the dead process is a real `manage.py import` killed with SIGKILL."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from directory.models import Organisation, Provenance, Source
from importers.engine.errors import RunInterrupted
from importers.engine.runs import runs_interrupted_mark
from importers.engine.services import source_import
from importers.models import ImportRejection, ImportRun, RunStatus
from importers.sources.tiers_lieux import DATA_FILE as THIRD_PLACES_FILE
from tests.importers.engine.test_runs import rewrite_csv

# Committed data, so that another session sees it (and locks it); the taxonomies the
# migrations wrote are restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextmanager
def other_connection():
    """A second session on the test database, as another process would hold one."""
    other = connections.create_connection("default")
    other.ensure_connection()
    other.set_autocommit(False)
    try:
        yield other
    finally:
        other.rollback()
        other.close()


def renamed_file(tmp_path):
    """The tiers-lieux file with two places renamed (ids 3 and 25)."""
    names = {"3": "Nouveau nom 3", "25": "Nouveau nom 25"}
    return rewrite_csv(
        THIRD_PLACES_FILE,
        tmp_path / "renamed.csv",
        lambda row: {**row, "NOM_TL": names.get(row["ID"], row["NOM_TL"])},
    )


def lock_place(other, external_id: str) -> None:
    """Lock, from the other session, the organisation the tiers-lieux row `external_id` made."""
    provenance = Provenance.objects.get(source__slug="tiers-lieux", external_id=external_id)
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM directory_organisation WHERE id = %s FOR UPDATE",
            [provenance.object_id],
        )


def test_a_lock_timeout_fails_the_whole_run_and_keeps_none_of_its_rows(tmp_path, settings):
    source_import(slug="tiers-lieux")
    settings.CARTESS_IMPORT_LOCK_TIMEOUT = 0.3
    with other_connection() as other:
        lock_place(other, "25")
        with pytest.raises(CommandError) as raised:
            call_command("import", "tiers-lieux", "--file", str(renamed_file(tmp_path)))
    assert "verrou" in str(raised.value)
    run = ImportRun.objects.latest("started_at")
    assert run.status == RunStatus.FAILED
    assert "un verrou tenu par une autre opération n'a pas été libéré à temps" in run.error
    # Row 3 was written before row 25 waited: rolled back with the rest, nothing rejected.
    assert not Organisation.objects.filter(name__startswith="Nouveau nom").exists()
    assert (run.updated_count, run.rejected_count) == (0, 0)
    assert not ImportRejection.objects.filter(run=run).exists()
    # Once the lock is gone the same file goes through.
    report = source_import(slug="tiers-lieux", path=tmp_path / "renamed.csv")
    assert report.updated == 2


def test_a_run_waiting_for_a_lock_stops_at_its_deadline(tmp_path, settings):
    source_import(slug="tiers-lieux")
    settings.CARTESS_IMPORT_LOCK_TIMEOUT = 0  # would wait for ever: the deadline ends it
    started = time.monotonic()
    with other_connection() as other:
        lock_place(other, "3")
        with pytest.raises(RunInterrupted, match="durée maximale de l'import dépassée"):
            source_import(slug="tiers-lieux", path=renamed_file(tmp_path), deadline=1.5)
    assert time.monotonic() - started < 4
    run = ImportRun.objects.latest("started_at")
    assert (run.status, run.updated_count) == (RunStatus.INTERRUPTED, 0)
    assert "1.5 s" in run.error
    assert not Organisation.objects.filter(name__startswith="Nouveau nom").exists()


def test_a_run_past_its_deadline_stops_rolls_back_and_says_so(settings):
    settings.CARTESS_IMPORT_DEADLINES = {"tiers-lieux": "0.000001"}
    with pytest.raises(CommandError, match="durée maximale"):
        call_command("import", "tiers-lieux")
    run = ImportRun.objects.get()
    assert run.status == RunStatus.INTERRUPTED
    assert not Organisation.objects.exists()


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgis://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(condition, seconds: float = 20.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError("waited in vain")


def test_a_killed_import_is_marked_interrupted_and_blocks_nothing():
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/qpv.geojson"
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CARTESS_HTTP_TIMEOUT": "30,30",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import", "qpv", "--url", url],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        run = _wait_for(lambda: ImportRun.objects.filter(status=RunStatus.RUNNING).first())
        assert runs_interrupted_mark() == []  # alive: its session holds the run's lock
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        silent.close()

    out = StringIO()
    _wait_for(lambda: call_command("import", "--check-runs", stdout=out) or "1." in out.getvalue())
    run.refresh_from_db()
    assert run.status == RunStatus.INTERRUPTED
    assert "le processus qui le menait s'est arrêté" in run.error
    assert run.finished_at is not None
    # Nothing waits for the dead run: the next one goes through.
    assert source_import(slug="tiers-lieux").created == 25


def _dead_run() -> int:
    """A run left "en cours" by a session that is gone: nobody holds its lock."""
    source = Source.objects.create(slug="qpv", name="QPV")
    with other_connection() as other:
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO importers_importrun (source_id, started_at, status, dry_run,"
                " parameters, created_count, updated_count, unchanged_count, rejected_count,"
                " error) VALUES (%s, now(), 'en-cours', false, '{}', 0, 0, 0, 0, '')"
                " RETURNING id",
                [source.pk],
            )
            dead = cursor.fetchone()[0]
        other.commit()
    return dead


def test_the_next_run_marks_a_dead_run():
    dead = _dead_run()
    source_import(slug="tiers-lieux")
    assert ImportRun.objects.get(pk=dead).status == RunStatus.INTERRUPTED
    assert ImportRun.objects.get(source__slug="tiers-lieux").status == RunStatus.SUCCEEDED


def test_a_start_up_marks_a_dead_run():
    """`migrate` runs at every start-up of the stack: it marks the runs whose process died."""
    dead = _dead_run()
    call_command("migrate", verbosity=0)
    run = ImportRun.objects.get(pk=dead)
    assert run.status == RunStatus.INTERRUPTED
    assert run.finished_at is not None


def test_an_unexpected_error_inside_a_run_is_recorded_failed_and_writes_nothing():
    """A crash inside a run (here in the `inspect` callback, after every row is loaded) is
    never recorded as a success: the run says "échec" with its cause, nothing is kept."""

    def crash(report):
        raise RuntimeError("panne imprévue")

    with pytest.raises(RuntimeError):
        source_import(slug="tiers-lieux", inspect=crash)
    run = ImportRun.objects.get(source__slug="tiers-lieux")
    assert run.status == RunStatus.FAILED
    assert "panne imprévue" in run.error
    assert not Provenance.objects.filter(source__slug="tiers-lieux").exists()
    assert not ImportRejection.objects.filter(run=run).exists()
