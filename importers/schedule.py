"""The schedule: which source is imported, and which command runs, how often. One place.

Each entry becomes a procrastinate periodic task (importers.tasks): every worker
(`manage.py procrastinate worker`) defers it when its cron time comes, once across workers.
Crons are read in UTC. A source is imported by the service of `manage.py import <source>`
(importers.engine.services.source_import): one run recorded per source and per time, and a
source that fails leaves the others going (each is its own job), and a source that geocodes
on request is asked to. The bundled sources of `import --all` are not scheduled (their files
only change with Cartess itself), except the seed: its addresses are placed by the BAN, which
only an online run reaches.
"""

import io
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import CommandError, call_command, get_commands

from importers.engine.errors import ImportFailed
from importers.engine.services import source_import

logger = logging.getLogger(__name__)

#: Cron fields: minute hour day-of-month month day-of-week.
DAILY = "{minute} {hour} * * *"
WEEKLY = "{minute} {hour} * * {weekday}"
MONTHLY = "{minute} {hour} {day} * *"


class Kind(StrEnum):
    IMPORT = "import"
    COMMAND = "command"


@dataclass(frozen=True)
class Scheduled:
    """`name` is a source slug (an import) or a management command's name; `cron` says when."""

    name: str
    kind: Kind
    cron: str


SCHEDULE: tuple[Scheduled, ...] = (
    # New and closing aids appear every day.
    Scheduled("aides-territoires", Kind.IMPORT, DAILY.format(minute=30, hour=4)),
    # The seed's addresses through the BAN, before the registers complete its organisations.
    Scheduled("seed", Kind.IMPORT, MONTHLY.format(minute=0, hour=1, day=3)),
    # The registers: INSEE publishes the SIRENE stock files on the 1st, the RNA monthly.
    Scheduled("sirene", Kind.IMPORT, MONTHLY.format(minute=0, hour=2, day=3)),
    Scheduled("rna", Kind.IMPORT, MONTHLY.format(minute=0, hour=3, day=3)),
    # The other live sources, weekly, on Monday night, one after the other.
    Scheduled("recherche-entreprises", Kind.IMPORT, WEEKLY.format(minute=0, hour=1, weekday=1)),
    Scheduled("data-inclusion", Kind.IMPORT, WEEKLY.format(minute=30, hour=1, weekday=1)),
    Scheduled("cartofriches", Kind.IMPORT, WEEKLY.format(minute=0, hour=2, weekday=1)),
    Scheduled("qpv", Kind.IMPORT, WEEKLY.format(minute=30, hour=2, weekday=1)),
    # Freshness reminders reach people on Monday morning; links are checked on Sunday.
    Scheduled("freshness_reminders", Kind.COMMAND, WEEKLY.format(minute=0, hour=7, weekday=1)),
    Scheduled("check_links", Kind.COMMAND, WEEKLY.format(minute=0, hour=5, weekday=0)),
    # Saved searches' digests on Monday morning, after the night's imports.
    Scheduled("alerts_digest", Kind.COMMAND, WEEKLY.format(minute=30, hour=7, weekday=1)),
    # Personal data of old requests to actors is erased every night (directory.mobilisations).
    Scheduled("mobilisations_purge", Kind.COMMAND, DAILY.format(minute=15, hour=3)),
    # ... and of old premises needs (cartography.services.needs_purge).
    Scheduled("needs_purge", Kind.COMMAND, DAILY.format(minute=20, hour=3)),
    # ... and of old sign-in records (django-axes).
    Scheduled("login_logs_purge", Kind.COMMAND, DAILY.format(minute=25, hour=3)),
    # Edits and imports only add words: the typo dictionary is rebuilt whole on Sunday.
    Scheduled("search_words_refresh", Kind.COMMAND, WEEKLY.format(minute=30, hour=5, weekday=0)),
    # An import compares only what it changed: listings typed by hand (suggestions, forms, the
    # admin) meet the others in the whole duplicate search, on Sunday.
    Scheduled("find_duplicates", Kind.COMMAND, WEEKLY.format(minute=0, hour=6, weekday=0)),
)

SCHEDULE_QUEUE = "schedule"
#: Scheduled jobs run one at a time: two imports would compete for the same records.
SCHEDULE_LOCK = "schedule"
#: Interrupted network jobs, unconfirmed files and old jobs are cleaned up every hour.
HOUSEKEEPING_CRON = "15 * * * *"


def scheduled_import_run(*, slug: str) -> str:
    """Import `slug` with the service of `manage.py import <slug>` (one run recorded).

    Reads CARTESS_SCHEDULE_ORIGINS[slug] when set (a URL or a path on the worker), else the
    source's default; a source that geocodes on request geocodes. Returns "succeeded",
    "failed" (the run is recorded "échec" with its cause and the database keeps nothing of
    it) or "skipped" (CARTESS_SCHEDULE_SKIP). An unexpected error propagates (procrastinate
    records the job as failed).
    """
    if slug in settings.CARTESS_SCHEDULE_SKIP:
        logger.info("Scheduled import %s skipped (CARTESS_SCHEDULE_SKIP)", slug)
        return "skipped"
    try:
        report = source_import(slug=slug, geocode=True, **scheduled_origin(slug=slug))
    except ImportFailed as error:
        logger.warning("Scheduled import %s failed: %s", slug, error)
        return "failed"
    logger.info("Scheduled import %s: %s", slug, "; ".join(report.lines()))
    return "succeeded"


def scheduled_origin(*, slug: str) -> dict[str, Any]:
    """Where `slug` is read on a schedule (or by `manage.py sync`): `{"path": ..., "url": ...}`
    from CARTESS_SCHEDULE_ORIGINS[slug] (a URL, or a path on this machine); both None when
    unset, so the source reads its default."""
    origin = settings.CARTESS_SCHEDULE_ORIGINS.get(slug, "")
    is_url = origin.startswith(("http://", "https://"))
    return {
        "path": Path(origin) if origin and not is_url else None,
        "url": origin if is_url else None,
    }


def scheduled_command_run(*, name: str) -> str:
    """Run the management command `name`. Returns "succeeded", "failed" (a CommandError,
    logged), "skipped" (CARTESS_SCHEDULE_SKIP) or "missing": a command this version of
    Cartess does not have is logged as an error and nothing runs."""
    if name in settings.CARTESS_SCHEDULE_SKIP:
        logger.info("Scheduled command %s skipped (CARTESS_SCHEDULE_SKIP)", name)
        return "skipped"
    if name not in get_commands():
        logger.error("Scheduled command %s does not exist in this version of Cartess", name)
        return "missing"
    output = io.StringIO()
    try:
        call_command(name, stdout=output, stderr=output)
    except CommandError as error:
        logger.error("Scheduled command %s failed: %s", name, error)
        return "failed"
    logger.info("Scheduled command %s: %s", name, output.getvalue().strip())
    return "succeeded"
