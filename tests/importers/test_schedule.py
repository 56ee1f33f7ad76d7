"""The schedule: every live source and the two upkeep commands, each on its own rhythm, run
by procrastinate's workers; a source that fails is recorded and leaves the others going."""

import logging
from pathlib import Path

import pytest
from croniter import croniter
from procrastinate.contrib.django import app

from cartography.models import AreaKind, ReferenceArea
from importers.engine.services import source_import
from importers.models import DuplicateCandidate, DuplicateStatus, ImportRun, RunStatus
from importers.schedule import (
    SCHEDULE,
    Kind,
    scheduled_command_run,
    scheduled_import_run,
)
from importers.sources import ALL, SOURCES
from tests.factories import FIVES, make_organisation, north_of

QPV_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "qpv" / "qpv_2024_sample.geojson"
#: Not a schedule's business: the networks send their own files.
NOT_SCHEDULED = {"network-csv"}


def test_every_live_source_and_the_upkeep_commands_are_scheduled():
    imports = {entry.name for entry in SCHEDULE if entry.kind == Kind.IMPORT}
    commands = {entry.name for entry in SCHEDULE if entry.kind == Kind.COMMAND}
    # The seed is bundled, yet scheduled: only an online run places its addresses (BAN).
    assert imports == set(SOURCES) - set(ALL) - NOT_SCHEDULED | {"seed"}
    assert commands == {
        "freshness_reminders",
        "check_links",
        "alerts_digest",
        "mobilisations_purge",
        "needs_purge",
        "login_logs_purge",
        "search_words_refresh",
        "find_duplicates",
    }
    assert len({entry.name for entry in SCHEDULE}) == len(SCHEDULE)


def test_each_rhythm_is_a_valid_cron():
    rhythms = {entry.name: entry.cron.split() for entry in SCHEDULE}
    assert all(croniter.is_valid(entry.cron) for entry in SCHEDULE)
    daily = {name for name, (_m, _h, day, _mo, weekday) in rhythms.items() if day == weekday == "*"}
    monthly = {name for name, (_m, _h, day, _mo, _w) in rhythms.items() if day != "*"}
    weekly = {name for name, (_m, _h, _d, _mo, weekday) in rhythms.items() if weekday != "*"}
    assert daily == {"aides-territoires", "mobilisations_purge", "needs_purge", "login_logs_purge"}
    assert monthly == {"seed", "sirene", "rna"}
    assert weekly == set(rhythms) - daily - monthly


def test_the_workers_know_every_entry_as_a_periodic_task():
    # A worker started by another test of this process that defers a periodic job writes
    # its "timestamp" into the registry's own task_kwargs (procrastinate's defer_jobs):
    # the entry's arguments are the others.
    periodic = {
        periodic_id: (
            entry.task.name,
            {k: v for k, v in entry.configure_kwargs["task_kwargs"].items() if k != "timestamp"},
            entry.cron,
        )
        for (name, periodic_id), entry in app.periodic_registry.periodic_tasks.items()
        if name.startswith("importers.scheduled_")
    }
    assert periodic == {
        entry.name: (f"importers.scheduled_{entry.kind}", {"name": entry.name}, entry.cron)
        for entry in SCHEDULE
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_source_is_recorded_and_the_next_one_still_runs(settings, fast_communes):
    source_import(slug="communes")
    settings.CARTESS_SCHEDULE_ORIGINS = {"qpv": str(QPV_SAMPLE)}
    for name in ("rna", "qpv"):  # the RNA has no file here: its run fails
        app.configure_task("importers.scheduled_import").defer(timestamp=0, name=name)

    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(
            queues=["schedule"], wait=False, install_signal_handlers=False, listen_notify=False
        )

    runs = {run.source.slug: run for run in ImportRun.objects.select_related("source")}
    assert runs["rna"].status == RunStatus.FAILED
    assert "n'a pas de fichier fourni" in runs["rna"].error
    assert runs["qpv"].status == RunStatus.SUCCEEDED
    assert ReferenceArea.objects.filter(kind=AreaKind.QPV).count() == 2


@pytest.mark.django_db
def test_a_source_can_be_left_out_of_the_schedule(settings):
    settings.CARTESS_SCHEDULE_SKIP = ["aides-territoires"]
    assert scheduled_import_run(slug="aides-territoires") == "skipped"
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_command_not_written_yet_is_logged_and_nothing_runs(caplog):
    with caplog.at_level(logging.ERROR, logger="importers.schedule"):
        assert scheduled_command_run(name="no_such_command") == "missing"
    assert "no_such_command does not exist" in caplog.text


@pytest.mark.django_db
def test_an_existing_command_runs():
    assert scheduled_command_run(name="find_duplicates") == "succeeded"


@pytest.mark.django_db
def test_listings_typed_by_hand_meet_in_the_weekly_duplicate_search():
    """No import runs for a listing a suggestion or a form created: the scheduled whole
    search lists it beside the listing it repeats (issue 13)."""
    make_organisation("La Coroutine", location=FIVES)
    make_organisation("Coroutine (La)", location=north_of(FIVES, 40))
    assert not DuplicateCandidate.objects.exists()

    assert scheduled_command_run(name="find_duplicates") == "succeeded"

    pair = DuplicateCandidate.objects.get(status=DuplicateStatus.PENDING)
    names = {pair.organisation_a.name, pair.organisation_b.name}
    assert names == {"La Coroutine", "Coroutine (La)"}
