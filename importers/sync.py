"""`manage.py sync`: bring the territory up to date from the live sources, now, in one go.

The same sources as the schedule (importers.schedule.SCHEDULE, its imports only, in its
order), read from the same places (CARTESS_SCHEDULE_ORIGINS, else each source's default),
each imported by the service of `manage.py import` (one ImportRun per source). Each source
keeps its own rhythm: one whose last successful run is younger than the interval between two
of its cron times (a day, a week, a month) is left alone unless `force`. A source that fails
is recorded as failed by its run and keeps its data as it was; the next ones still run. A
source that geocodes on request (the seed) is asked to: its addresses get the BAN's points.
"""

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from croniter import croniter
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from importers.engine.errors import ImportFailed
from importers.engine.progress import ProgressCallback
from importers.engine.report import ImportReport
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from importers.schedule import SCHEDULE, Kind, Scheduled, scheduled_origin
from importers.sources import SOURCES

logger = logging.getLogger(__name__)


class SyncStatus(StrEnum):
    IMPORTED = "imported"
    FRESH = "fresh"
    LEFT_OUT = "left-out"
    FAILED = "failed"


#: What a person reads in the summary for each status.
SYNC_LABELS = {
    SyncStatus.IMPORTED: gettext_lazy("importé"),
    SyncStatus.FRESH: gettext_lazy("à jour"),
    SyncStatus.LEFT_OUT: gettext_lazy("laissé de côté"),
    SyncStatus.FAILED: gettext_lazy("échec"),
}


@dataclass(frozen=True)
class SyncOutcome:
    """What `sync` did with one source: its status, a French detail line, the run's report
    (None when it did not run) and the seconds it took."""

    slug: str
    status: SyncStatus
    detail: str
    report: ImportReport | None = None
    seconds: float = 0.0


def sync_sources() -> tuple[str, ...]:
    """The slugs `sync` brings up to date, in the schedule's order."""
    return tuple(entry.name for entry in SCHEDULE if entry.kind == Kind.IMPORT)


def sync_rhythm(*, entry: Scheduled, now: datetime) -> timedelta:
    """The interval between the next two cron times of `entry` after `now` (UTC)."""
    times = croniter(entry.cron, now.astimezone(UTC))
    first = times.get_next(datetime)
    return times.get_next(datetime) - first


def source_last_success(*, slug: str) -> datetime | None:
    """When the last run of `slug` that succeeded (not a dry run) ended, or None. For a
    source that geocodes on request (the seed), only a run that geocoded counts: the
    offline `import --all` does not make it fresh."""
    runs = ImportRun.objects.filter(source__slug=slug, status=RunStatus.SUCCEEDED, dry_run=False)
    if slug in SOURCES and SOURCES[slug].geocodes_on_request:
        runs = runs.filter(parameters__geocode=True)
    return runs.order_by("-finished_at").values_list("finished_at", flat=True).first()


def sources_sync(
    *,
    only: Collection[str] = (),
    force: bool = False,
    now: datetime | None = None,
    on_start: Callable[[int, int, str], None] | None = None,
    progress: ProgressCallback | None = None,
) -> list[SyncOutcome]:
    """Bring each source of the schedule (or of `only`, in the schedule's order) up to date.

    A source fresh for its rhythm is skipped ("à jour") unless `force`; one named in
    CARTESS_SCHEDULE_SKIP is left out unless `only` names it. `on_start(position, total,
    slug)` is called before each source; `progress` is handed to each import. Returns one
    outcome per source. Never raises for a source that fails (its run records why); raises
    ValueError when `only` names a source `sync` does not know.
    """
    slugs = sync_sources()
    unknown = sorted(set(only) - set(slugs))
    if unknown:
        raise ValueError(
            _("source(s) inconnue(s) de sync : %(unknown)s (possibles : %(known)s)")
            % {"unknown": ", ".join(unknown), "known": ", ".join(slugs)}
        )
    entries = [entry for entry in SCHEDULE if entry.name in (set(only) or set(slugs))]
    now = now or timezone.now()
    outcomes = []
    for position, entry in enumerate(entries, start=1):
        if on_start is not None:
            on_start(position, len(entries), entry.name)
        outcome = _left_alone(entry, now=now, force=force, named=entry.name in only)
        outcomes.append(outcome or _import(entry.name, progress=progress))
    return outcomes


def _left_alone(entry: Scheduled, *, now: datetime, force: bool, named: bool) -> SyncOutcome | None:
    """The outcome of a source `sync` does not run (left out, or fresh), else None."""
    if force:
        return None
    if entry.name in settings.CARTESS_SCHEDULE_SKIP and not named:
        return SyncOutcome(entry.name, SyncStatus.LEFT_OUT, _("CARTESS_SCHEDULE_SKIP"))
    last = source_last_success(slug=entry.name)
    if last is None or now - last >= sync_rhythm(entry=entry, now=now):
        return None
    day = formats.date_format(timezone.localtime(last).date(), "j F Y")
    return SyncOutcome(
        entry.name, SyncStatus.FRESH, _("à jour (dernier import le %(day)s)") % {"day": day}
    )


def _import(slug: str, *, progress: ProgressCallback | None) -> SyncOutcome:
    """Import `slug` from its scheduled origin; a failure becomes a FAILED outcome."""
    started = time.monotonic()
    try:
        origin = scheduled_origin(slug=slug)
        report = source_import(slug=slug, progress=progress, geocode=True, **origin)
    except ImportFailed as error:
        return SyncOutcome(slug, SyncStatus.FAILED, str(error), None, time.monotonic() - started)
    except Exception as error:  # the run is recorded; the next sources still get their turn
        logger.exception("Sync of %s failed unexpectedly", slug)
        detail = _("erreur inattendue %(type)s (voir le journal)") % {"type": type(error).__name__}
        return SyncOutcome(slug, SyncStatus.FAILED, detail, None, time.monotonic() - started)
    detail = "; ".join(report.warnings[:1])
    return SyncOutcome(slug, SyncStatus.IMPORTED, detail, report, time.monotonic() - started)
