"""Run importers: one source, or all of them, each run recorded as an `ImportRun`.

A run reads the file, keeps the rows of the territory, maps each row and loads it, all
inside one transaction: when the run fails (`ImportFailed`, or any unexpected error) the
database is left as it was, and the `ImportRun` recording the failure is written after
the rollback so it survives. A dry run does the same work and rolls back at the end, but
records its run and the counts it would have produced.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.history import IMPORT_REASON, history_reason
from directory.models import Source
from directory.search_words import search_words_add
from importers.engine.aftercare import run_aftercare
from importers.engine.base import ImportSource, Mapped, RawRow, Rejection, mapping_version_of
from importers.engine.bulk import BulkResult
from importers.engine.context import LoadContext
from importers.engine.dating import LatestDay
from importers.engine.deadline import Deadline, deadline_seconds_for, run_deadline
from importers.engine.doubles import FileIdentifiers
from importers.engine.errors import ImportFailed, RowRejected, RunInterrupted
from importers.engine.geocode import rows_geocoded
from importers.engine.progress import ProgressCallback, ProgressMeter
from importers.engine.rejections import rejections_write
from importers.engine.report import ImportReport, LoadedRow
from importers.engine.review import duplicate_candidates_refresh
from importers.engine.runs import (
    database_failure,
    run_close,
    run_limits,
    run_open,
    runs_interrupted_mark,
)
from importers.engine.territory import Territory, territory_current
from importers.engine.upsert import Outcome, load_row, loader_of
from importers.io.bounded import rows_check
from importers.io.http import Fetcher
from importers.models import ImportRun, RunStatus
from importers.sources import ALL, source_get

logger = logging.getLogger(__name__)

#: How many kept fields, warnings and rejections a report shows (all rejections are stored).
REPORT_SAMPLE = 50


def source_register(*, source: ImportSource) -> Source:
    """Create or refresh the `Source` row of an importer (name, publisher, licence...)."""
    info = source.info
    row, _created = Source.objects.update_or_create(
        slug=source.slug,
        defaults={
            "name": info.name,
            "publisher": info.publisher,
            "licence": info.licence,
            "licence_url": info.licence_url,
            "url": info.url,
            "description": info.description,
            # A source dated by its data keeps the date of its last successful run.
            **({"data_dated": info.dated} if info.dated else {}),
        },
    )
    return row


def source_import(
    *,
    slug: str,
    path: Path | None = None,
    url: str | None = None,
    rows: Iterable[RawRow] | None = None,
    scope: Any = None,
    dry_run: bool = False,
    remap: bool = False,
    fetcher: Fetcher | None = None,
    progress: ProgressCallback | None = None,
    inspect: Callable[[ImportReport], None] | None = None,
    deadline: float | None = None,
    geocode: bool = False,
) -> ImportReport:
    """Run the importer `slug` and record the run.

    The rows come from `rows` (raw rows a caller already read, e.g. JSON rows of an API);
    else from `path`; else from `url` (an API source reads it as its base URL, a file
    source downloads it with the fetcher, then reads it like a file); else from the
    source's bundled file; else from its live `default_url`. `scope` limits a row-by-row
    run: a row outside it is rejected (ImportSource.check_scope). `fetcher` replaces the
    source's default fetcher (tests inject one with a fake sleep). `progress` is called
    every few thousand rows or seconds with the rows read so far (importers.engine.progress).
    A row whose raw content did not change since the last run is left alone when the
    source's `mapping_version` is the one that mapped it; `remap` maps every row again
    (the human-edit rule still holds).
    `inspect` is called with the report inside the run's transaction, after the rows are
    loaded and before a dry run rolls back: it may read what the run wrote (a preview).
    A run that is not a dry run ends by refreshing the possible duplicates
    (importers.engine.review), in its transaction.
    `deadline` (seconds) bounds the whole run; by default the source's setting
    (importers.engine.deadline.deadline_seconds_for). Runs whose process died are first
    marked interrupted (importers.engine.runs). `geocode` asks the BAN for the points of a
    source that geocodes on request (the run's parameters keep `geocode`).
    Returns the report of a run that succeeded. Raises UnknownSource for an unknown slug,
    and ImportFailed (after recording the failed run) when the file, the remote source or
    the run is broken: DatabaseFailed when the database failed the run itself (a lock or
    statement timeout, a lost connection), RunInterrupted when its deadline passed (the
    run recorded "interrompu"). An unexpected error is recorded the same way and propagates
    as it is.
    """
    source = source_get(slug, geocode=geocode)
    runs_interrupted_mark()
    registered = source_register(source=source)
    parameters = {"mapping_version": mapping_version_of(source), "remap": remap}
    if source.geocodes_on_request:
        parameters["geocode"] = source.geocodes
    run = run_open(source=registered, dry_run=dry_run, parameters=parameters)
    report = ImportReport(source=slug, dry_run=dry_run, run_id=run.pk)
    try:
        seconds = deadline_seconds_for(slug) if deadline is None else deadline
        with run_deadline(seconds) as limit:
            _run(
                source,
                run,
                report,
                limit,
                path=path,
                url=url,
                rows=rows,
                scope=scope,
                remap=remap,
                fetcher=fetcher,
                progress=progress,
                inspect=inspect,
            )
    finally:
        run_close(run)
    return report


def _run(
    source: ImportSource,
    run: ImportRun,
    report: ImportReport,
    limit: Deadline | None,
    *,
    path: Path | None,
    url: str | None,
    rows: Iterable[RawRow] | None,
    scope: Any,
    remap: bool,
    fetcher: Fetcher | None,
    progress: ProgressCallback | None,
    inspect: Callable[[ImportReport], None] | None,
) -> None:
    """Read, map and load in one transaction, then record the run (see source_import)."""
    slug, started = source.slug, time.monotonic()
    try:
        origin = {"rows": "given"} if rows is not None else _origin(source, path, url)
        run.parameters |= origin
        logger.info("Import %s from %s (dry run: %s)", slug, origin, report.dry_run)
        with ExitStack() as stack:
            if rows is None:
                rows = _open_rows(source, origin, fetcher or fetcher_for(source), stack)
            stack.enter_context(history_reason(IMPORT_REASON.format(slug=slug)))
            with transaction.atomic(), run_limits(limit):
                meter = ProgressMeter(source=slug, callback=progress, deadline=limit)
                since = timezone.now()
                _execute(source, rows, run, report, meter, remap=remap, scope=scope)
                _conclude(report, inspect=inspect, after=source.after_load, since=since)
                _date_source(source, run, report)
    except Exception as error:
        failure = database_failure(error, limit) if isinstance(error, DatabaseError) else error
        report.error = str(failure) or failure.__class__.__name__
        status = RunStatus.INTERRUPTED if isinstance(failure, RunInterrupted) else RunStatus.FAILED
        _record_failure(run, report, started, status)
        logger.warning("Import %s failed: %s", slug, report.error)
        if failure is error:
            raise
        raise failure from error
    _record(run, report, started, RunStatus.SUCCEEDED)


def _record_failure(run: ImportRun, report: ImportReport, started: float, status: str) -> None:
    """Record a failed run; when the database itself is gone, leave it "en cours": its lock
    went with the session, and the next run or start-up marks it interrupted."""
    try:
        _record(run, report, started, status)
    except DatabaseError as error:
        logger.warning("Run %s could not be recorded (%s): left to be marked", run.pk, error)


def _conclude(
    report: ImportReport,
    *,
    inspect: Callable[[ImportReport], None] | None,
    after: Callable[[], list[str]],
    since: datetime,
) -> None:
    """The end of a run, in its transaction: a run that read nothing says so; `inspect`
    sees what the run wrote; a dry run rolls back, a real one runs `after` (the source's
    after_load, whose lines join the details), adds the search words of the records it
    wrote (when it wrote any) and refreshes the possible duplicates, both among what changed
    since `since` (the run's start: only those, not the whole directory)."""
    if not report.rows_read:
        report.warnings.append(
            _("aucune ligne lue : le fichier n'a que son en-tête, ou la source n'a rien renvoyé.")
        )
    if inspect is not None:
        inspect(report)
    if report.dry_run:
        transaction.set_rollback(True)
        return
    report.details += after()
    if report.created or report.updated:
        # Only the words of what the run wrote (a run that wrote nothing adds none); words
        # no longer used leave at the weekly whole refresh (`manage.py search_words_refresh`).
        search_words_add(since=since)
    report.duplicates = duplicate_candidates_refresh(since=since)


def fetcher_for(source: ImportSource) -> Fetcher:
    """A fetcher with the source's rate limit and the settings' retries and timeouts."""
    return Fetcher(rate_per_second=source.rate_per_second)


def _origin(source: ImportSource, path: Path | None, url: str | None) -> dict[str, str]:
    """Where the rows come from, as recorded in the run's parameters.

    Raises ImportFailed when there is neither a file, nor a URL, nor a default.
    """
    if path is not None:
        return {"file": str(path)}
    if url:
        return {"url": url}
    default = source.default_file()
    if default is not None:
        return {"file": str(default)}
    if source.default_url:
        return {"url": source.default_url}
    raise ImportFailed(
        _("%(source)s n'a pas de fichier fourni : donnez --file ou --url.")
        % {"source": source.slug}
    )


def _open_rows(
    source: ImportSource, origin: dict[str, str], fetcher: Fetcher, stack: ExitStack
) -> Iterator[RawRow]:
    """The raw rows of `origin`; a downloaded file lives until `stack` closes."""
    if "file" in origin:
        return source.read(Path(origin["file"]))
    if source.is_api:
        return source.fetch(origin["url"], fetcher)
    return source.read(stack.enter_context(fetcher.download(origin["url"])))


def sources_import_all(
    *,
    skip_loaded: bool = False,
    remap: bool = False,
    progress: ProgressCallback | None = None,
) -> Iterator[ImportReport]:
    """Run every importer on its bundled file, in dependency order, yielding each report.

    With `skip_loaded`, a source that already has a successful, real (not dry) run is
    skipped. `remap` and `progress` are passed to each run. Stops at the first failure,
    raising ImportFailed like `source_import`.
    """
    for slug in ALL:
        if skip_loaded and source_is_loaded(slug=slug):
            yield ImportReport(source=slug, skipped=True)
            continue
        yield source_import(slug=slug, remap=remap, progress=progress)


def source_is_loaded(*, slug: str) -> bool:
    """Whether `slug` has a successful run that was not a dry run."""
    return ImportRun.objects.filter(
        source__slug=slug, status=RunStatus.SUCCEEDED, dry_run=False
    ).exists()


def _execute(
    source: ImportSource,
    rows: Iterable[RawRow],
    run: ImportRun,
    report: ImportReport,
    meter: ProgressMeter,
    *,
    remap: bool,
    scope: Any = None,
) -> None:
    territory = territory_current()
    if source.needs_boundaries and territory.boundary is None:
        raise ImportFailed(
            _("Les contours des communes manquent : lancez d'abord « manage.py import communes ».")
        )
    report.territory_test = territory.test_name
    if source.bulk:
        # A bulk source filters on INSEE codes and merges with set-based SQL
        # (importers.engine.bulk).
        report.territory_test = _("code INSEE")
        insee_codes = territory.insee_codes
        result = source.load(rows, run=run, insee_codes=insee_codes, progress=meter, remap=remap)
        _absorb(report, result)
        return
    if source.geocodes:
        rows = rows_geocoded(source, rows)
    context = LoadContext.start(
        source=run.source,
        run=run,
        now=timezone.now(),
        mapping_version=mapping_version_of(source),
        remap=remap,
        loaders=source.loaders(),
        scope=scope,
    )
    seen, latest = FileIdentifiers(), LatestDay()
    for row in rows:
        latest.offer(source.data_day(row))
        report.rows_read += 1
        rows_check(report.rows_read, source.slug)
        meter.advance()
        if reason := source.set_aside(row):
            report.set_aside[reason] = report.set_aside.get(reason, 0) + 1
            continue
        _process(source, row, territory, context, report, seen)
    context.finish()
    report.data_day = latest.day
    report.kept, report.warnings = context.notes, context.warnings
    report.deleted = context.deleted
    report.disagreements = context.disagreements


def _absorb(report: ImportReport, result: BulkResult) -> None:
    """Copy what a bulk source did into the run's report."""
    report.rows_read += result.rows_read
    report.out_of_territory += result.out_of_territory
    for label, count in result.set_aside.items():
        report.set_aside[label] = report.set_aside.get(label, 0) + count
    report.counts[Outcome.CREATED] += result.created
    report.counts[Outcome.UPDATED] += result.updated
    report.counts[Outcome.UNCHANGED] += result.unchanged
    report.rejections.extend(result.rejections)
    report.kept, report.warnings = result.kept, result.warnings
    report.details = result.details
    report.deleted = result.deleted
    report.disagreements = result.disagreements
    report.data_day = result.data_day


def _date_source(source: ImportSource, run: ImportRun, report: ImportReport) -> None:
    """A real run whose data gave its day dates the source (importers.engine.dating)."""
    if report.dry_run or not report.data_day or not source.dated_label(report.data_day):
        return
    run.parameters["data_date"] = report.data_day
    Source.objects.filter(pk=run.source_id).update(data_dated=source.dated_label(report.data_day))


def _process(
    source: ImportSource,
    row: RawRow,
    territory: Territory,
    context: LoadContext,
    report: ImportReport,
    seen: FileIdentifiers,
) -> None:
    """Filter, map and load one row; a bad row becomes a rejection, never a failure."""
    external_id = source.external_id(row)
    # A later copy of a loaded identifier is refused before it costs locating (a geometry
    # parsed per copy) or mapping; otherwise the mapper speaks first: it says best what is
    # wrong with an unreadable record.
    if not row.defect and (double := seen.double(external_id)):
        _reject(report, row, external_id, double, seen)
        return
    where = source.locate(row)
    if where is not None and not territory.contains(where):
        report.out_of_territory += 1
        report.outside_rows.append(row.number)
        return
    try:
        if row.defect:
            raise RowRejected(row.defect)
        mapped = source.map(row)
        if context.scope is not None:
            source.check_scope(mapped, context.scope)
        seen.take(external_id)
        with transaction.atomic():
            outcome = load_row(
                context=context, external_id=external_id, raw=row.data, mapped=mapped
            )
    except RowRejected as rejection:
        if rejection.follow_up is not None:
            rejection.follow_up()
        _reject(report, row, external_id, rejection.reason, seen)
        return
    except ValidationError as error:
        messages = _messages(error, loader_of(context, mapped.data).model)
        _reject(report, row, external_id, "; ".join(messages), seen)
        return
    except (IntegrityError, DataError) as error:
        # What the row says broke a rule of the database: the row's fault. Any other
        # database error is the run's (importers.engine.runs.database_failure).
        _reject(report, row, external_id, _database_refusal(error, context, mapped), seen)
        return
    report.counts[outcome] += 1
    provenance = context.provenances.get(external_id)
    object_id = provenance.object_id if provenance is not None else None
    kept = context.kept.get(external_id, ())
    report.loaded.append(
        LoadedRow(row.number, external_id, outcome, object_id, kept, mapped.warnings)
    )
    context.warnings.extend(f"{external_id} : {warning}" for warning in mapped.warnings)


def _reject(
    report: ImportReport, row: RawRow, external_id: str, reason: str, seen: FileIdentifiers
) -> None:
    logger.info("Row %s (%s) rejected: %s", row.number, external_id, reason)
    rejection = Rejection.of(
        number=row.number, external_id=external_id, reason=reason, raw=row.data
    )
    report.rejections.append(seen.shared(rejection))


def _messages(error: ValidationError, model: type[Model]) -> list[str]:
    """The messages of `error`, each prefixed with the French name of its field."""
    if not hasattr(error, "error_dict"):
        return error.messages
    return [
        " ".join(messages)
        if name == NON_FIELD_ERRORS
        else f"{_label(model, name)} : {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    ]


def _database_refusal(error: DatabaseError, context: LoadContext, mapped: Mapped) -> str:
    """Why PostgreSQL refused the row: the message of the model's constraint it broke when
    there is one (the message `full_clean` would have given), else the database's own."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    model = loader_of(context, mapped.data).model
    for constraint in model._meta.constraints:
        if constraint.name == name and constraint.violation_error_message:
            return str(constraint.get_violation_error_message())
    return _("Refusé par la base : %(error)s") % {"error": error}


def _label(model: type[Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _record(run: ImportRun, report: ImportReport, started: float, status: str) -> None:
    """Write the run's outcome and, when it succeeded, its rejections (outside the run's
    transaction)."""
    report.duration = time.monotonic() - started
    report.status = status
    succeeded = status == RunStatus.SUCCEEDED
    run.status = status
    run.finished_at = timezone.now()
    run.created_count = report.created if succeeded else 0
    run.updated_count = report.updated if succeeded else 0
    run.unchanged_count = report.unchanged if succeeded else 0
    # A failed run was rolled back: the rows it rejected on its way describe nothing kept.
    rejections = report.rejections if succeeded else []
    run.rejected_count = len(rejections)
    run.error = report.error
    run.parameters |= {
        "territory_test": report.territory_test,
        "rows_read": report.rows_read,
        "out_of_territory": report.out_of_territory,
        "set_aside": report.set_aside,
        "kept_fields": report.kept[:REPORT_SAMPLE],
        "deleted_by_a_person": report.deleted[:REPORT_SAMPLE],
        "disagreements_opened": report.disagreements,
        "duplicate_candidates": report.duplicates,
        "warnings": report.warnings[:REPORT_SAMPLE],
        "details": report.details,
        "duration_seconds": round(report.duration, 3),
    }
    run.save()
    rejections_write(run=run, rejections=rejections)
    if succeeded:
        run_aftercare(source=run.source)
