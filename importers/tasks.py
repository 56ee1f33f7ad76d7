"""Cartess's background jobs (procrastinate), run by `manage.py procrastinate worker`.

procrastinate's Django app finds this module by its name (`tasks.py` of an installed app).
Tasks are thin: the work is in importers.web.jobs (a network's long import) and
importers.schedule (the schedule and what each scheduled job does). Every worker defers the
periodic tasks of the schedule when their time comes, once across workers; the scheduled
jobs share one lock, so they run one after the other.
"""

from procrastinate.contrib.django import app

from importers.schedule import (
    HOUSEKEEPING_CRON,
    SCHEDULE,
    SCHEDULE_LOCK,
    SCHEDULE_QUEUE,
    Kind,
    scheduled_command_run,
    scheduled_import_run,
)
from importers.web.jobs import QUEUE, TASK, network_job_run, network_jobs_housekeeping


@app.task(name=TASK, queue=QUEUE)
def network_import_job(job_id: int) -> None:
    """A network's big member file or large API call (importers.web.jobs)."""
    network_job_run(job_id=job_id)


@app.task(name="importers.scheduled_import", queue=SCHEDULE_QUEUE, lock=SCHEDULE_LOCK)
def scheduled_import(timestamp: int, name: str) -> str:
    """One source of the schedule, as `manage.py import <name>` would run it."""
    return scheduled_import_run(slug=name)


@app.task(name="importers.scheduled_command", queue=SCHEDULE_QUEUE, lock=SCHEDULE_LOCK)
def scheduled_command(timestamp: int, name: str) -> str:
    """One management command of the schedule."""
    return scheduled_command_run(name=name)


@app.periodic(cron=HOUSEKEEPING_CRON, periodic_id="housekeeping")
@app.task(name="importers.jobs_housekeeping", queue=SCHEDULE_QUEUE)
def jobs_housekeeping(timestamp: int) -> int:
    """Forget the files of unconfirmed previews and the old network jobs."""
    return network_jobs_housekeeping()


TASKS = {Kind.IMPORT: scheduled_import, Kind.COMMAND: scheduled_command}
for entry in SCHEDULE:
    app.periodic(cron=entry.cron, periodic_id=entry.name, task_kwargs={"name": entry.name})(
        TASKS[entry.kind]
    )
