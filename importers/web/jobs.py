"""Long network imports as background jobs: a big member file, a large members API call.

A request keeps what the job needs in a NetworkImportJob (the file's bytes or the API's
rows: the worker may run on another machine) and defers the task TASK (importers.tasks) on
QUEUE. The worker (`manage.py procrastinate worker`) runs the same engine the request would
(importers.web.uploads: the dry run limited to the network, or the real run in one
transaction), and writes the rows read so far through the PROGRESS_DB connection, outside
the import's transaction, so that the progress page sees them while the run goes on. A
preview made by a job is confirmed by its uploader, which starts a second job (`confirms`).
"""

import logging
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from simple_history.models import HistoricalRecords

from directory.models import Organisation
from importers.engine.errors import ImportFailed
from importers.engine.progress import Progress, ProgressCallback
from importers.engine.report import ImportReport
from importers.engine.services import source_import
from importers.models import JobOrigin, JobStatus, NetworkImportJob
from importers.sources.network_csv import NetworkCsvSource, raw_rows
from importers.web.uploads import (
    SLUG,
    UPLOAD_TTL,
    FieldChange,
    Preview,
    RowPreview,
    UploadRefused,
    _answered,
    _checked_content,
    _dry_run,
    network_credit,
    report_unplaced,
    unplaced_text,
)

logger = logging.getLogger(__name__)

TASK = "importers.network_import_job"
QUEUE = "networks"
#: The database alias of the progress writes (config/settings/base.py).
PROGRESS_DB = "progress"
#: A finished job is forgotten after this many days (importers.tasks.jobs_housekeeping).
JOB_KEPT_DAYS = 30
#: A job still queued or running after this long was interrupted (a worker stopped).
STALE_AFTER = timedelta(hours=2)


def upload_is_large(*, content: bytes) -> bool:
    """Whether a member file is checked by a job: more lines or bytes than the settings say."""
    return (
        len(content) > settings.CARTESS_JOB_BYTES
        or content.count(b"\n") > settings.CARTESS_JOB_ROWS
    )


def rows_are_many(*, rows: list) -> bool:
    """Whether API rows are run by a job: more of them than CARTESS_JOB_ROWS."""
    return len(rows) > settings.CARTESS_JOB_ROWS


def network_upload_job_start(
    *, network: Organisation, upload: UploadedFile, user: AbstractBaseUser
) -> NetworkImportJob | None:
    """Check `upload` and, when it is large (`upload_is_large`), keep it and defer its dry run.

    Returns the job, or None for a small file (left rewound, for the preview in the request).
    Raises UploadRefused, with the request's own French messages, when the file cannot be a
    member file.
    """
    content = _checked_content(upload)
    if not upload_is_large(content=content):
        upload.seek(0)
        return None
    name = get_valid_filename(Path(upload.name or "").name) or "adherents.csv"
    return _job_start(
        network=network, user=user, origin=JobOrigin.UPLOAD, filename=name, content=content
    )


def network_rows_job_start(
    *, network: Organisation, rows: list[dict[str, Any]], dry_run: bool
) -> NetworkImportJob:
    """Keep the members API's `rows` (already validated) and defer their run for `network`."""
    return _job_start(
        network=network, origin=JobOrigin.API, dry_run=dry_run, rows=rows, rows_total=len(rows)
    )


def network_upload_job_confirm(
    *,
    network: Organisation,
    token: str,
    user: AbstractBaseUser,
    same_as: Mapping[int, str] | None = None,
) -> NetworkImportJob | None:
    """Apply the file whose preview the job named by `token` made, as a new job, with the
    editor's answers to the rows "à confirmer" (`same_as`, as `network_upload_apply`).

    Returns None when `token` names no job of `network` (a preview made in the request).
    Only the person who sent the file confirms it, once. Raises UploadRefused for anybody
    else, and when the preview failed or its file was already applied or forgotten.
    """
    preview = _job_of(network, token)
    if preview is None:
        return None
    with transaction.atomic():
        preview = NetworkImportJob.objects.select_for_update().get(pk=preview.pk)
        if preview.user_id != user.pk:
            raise UploadRefused(_("Seule la personne qui a envoyé ce fichier peut le confirmer."))
        if not (preview.dry_run and preview.status == JobStatus.SUCCEEDED and preview.content):
            raise UploadRefused(_("Ce fichier n'est plus disponible : envoyez-le à nouveau."))
        content, preview.content = bytes(preview.content), None
        preview.save(update_fields=["content"])
        return _job_start(
            network=network,
            user=user,
            origin=JobOrigin.UPLOAD,
            dry_run=False,
            filename=preview.filename,
            content=content,
            confirms=preview,
            rows_total=preview.rows_total,
            same_as={str(number): answer for number, answer in (same_as or {}).items()},
        )


def network_job_get(*, network: Organisation, public_id: Any) -> NetworkImportJob | None:
    """The job `public_id` of `network`, or None."""
    return _job_of(network, str(public_id))


def _job_of(network: Organisation, token: str) -> NetworkImportJob | None:
    try:
        public_id = uuid.UUID(token)
    except (TypeError, ValueError):  # a request's own preview token
        return None
    return NetworkImportJob.objects.filter(network=network, public_id=public_id).first()


def _job_start(*, network: Organisation, **fields: Any) -> NetworkImportJob:
    """Create the job and defer its task, in one transaction (the job row and procrastinate's
    share the connection, so the worker never sees one without the other)."""
    with transaction.atomic():
        job = NetworkImportJob.objects.create(network=network, **fields)
        app.configure_task(TASK, queue=QUEUE, lock=f"network-{network.pk}").defer(job_id=job.pk)
    logger.info("Network job %s deferred (%s rows)", job.public_id, job.rows_total)
    return job


def network_job_run(*, job_id: int) -> None:
    """Run the job `job_id` (the worker's side): its status, progress and result are saved.

    A refused run (a broken file, a failed import: nothing was written) ends "échec" with
    its French message; an unexpected error too, with a generic message, and is logged.
    """
    job = NetworkImportJob.objects.select_related("network", "user").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        job.result = _run(job)
    except (UploadRefused, ImportFailed) as error:
        _finish(job, JobStatus.FAILED, error=getattr(error, "message", str(error)))
    except Exception:
        logger.exception("Network job %s failed", job.public_id)
        _finish(job, JobStatus.FAILED, error=_("Erreur inattendue : rien n'a été enregistré."))
    else:
        _finish(job, JobStatus.SUCCEEDED)


def _finish(job: NetworkImportJob, status: str, *, error: str = "") -> None:
    """Save the end of `job`; what it read is no longer needed (a preview keeps its file
    until it is confirmed or forgotten)."""
    job.status, job.error, job.finished_at = status, error, timezone.now()
    job.rows = None
    if not (job.dry_run and status == JobStatus.SUCCEEDED and job.origin == JobOrigin.UPLOAD):
        job.content = None
    if status == JobStatus.SUCCEEDED and job.rows_total is not None:
        job.rows_done = job.rows_total
    job.save()


def _run(job: NetworkImportJob) -> dict[str, Any]:
    progress = _progress_writer(job)
    with _job_input(job) as (path, rows):
        if rows is None:
            job.rows_total = sum(1 for _row in NetworkCsvSource().read(path))
            job.save(update_fields=["rows_total"])
        if job.dry_run:
            previews = _dry_run(job.network, path=path, rows=rows, progress=progress)
            return {"rows": [asdict(row) for row in previews]}
        if path is not None and job.same_as:
            answers = {int(number): answer for number, answer in job.same_as.items()}
            path, rows = None, _answered(NetworkCsvSource().read(path), answers)
        with _acting_as(job.user):
            report = source_import(
                slug=SLUG,
                path=path,
                rows=rows,
                scope=job.network,
                progress=progress,
                inspect=network_credit(job.network),
            )
        return report_summary(report)


@contextmanager
def _job_input(job: NetworkImportJob) -> Iterator[tuple[Path | None, list | None]]:
    """The file of an upload job (written to a private temporary folder), or its raw rows."""
    if job.rows is not None:
        yield None, list(raw_rows(job.rows))
        return
    with tempfile.TemporaryDirectory(prefix="cartess-job-") as folder:
        path = Path(folder) / (job.filename or "adherents.csv")
        path.write_bytes(bytes(job.content or b""))
        yield path, None


def _progress_writer(job: NetworkImportJob) -> ProgressCallback:
    def write(progress: Progress) -> None:
        rows = NetworkImportJob.objects.using(PROGRESS_DB).filter(pk=job.pk)
        rows.update(rows_done=progress.rows)

    return write


@contextmanager
def _acting_as(user: AbstractBaseUser | None) -> Iterator[None]:
    """History rows written inside name `user`, as the request's middleware would."""
    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if had_request:
            context.request = previous
        else:
            del context.request


def report_summary(report: ImportReport) -> dict[str, Any]:
    """What a real run did, as the members API answers it."""
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "outside": report.out_of_territory,
        "rejections": [{"row": r.row_number, "reason": r.reason} for r in report.rejections],
        # Rows loaded without a point: the BAN did not answer (a next sending places them).
        "unplaced": report_unplaced(report),
    }


def job_preview(job: NetworkImportJob) -> Preview | None:
    """The preview a finished dry run saved, as the upload screen shows it (its token names
    the job, for the confirmation)."""
    if not (job.dry_run and job.status == JobStatus.SUCCEEDED and job.result):
        return None
    rows = [_row_preview(row) for row in job.result.get("rows", [])]
    return Preview(token=str(job.public_id), filename=job.filename, rows=rows)


def _row_preview(data: dict[str, Any]) -> RowPreview:
    changes = [FieldChange(**change) for change in data.get("changes", [])]
    return RowPreview(
        **data | {"changes": changes, "not_applied": tuple(data.get("not_applied", ()))}
    )


def job_progress(job: NetworkImportJob) -> dict[str, Any]:
    """Where `job` stands, for the progress page and its JSON: status, rows, a French text."""
    return {
        "status": job.status,
        "finished": job.finished,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "text": _progress_text(job),
        "error": job.error,
    }


def _progress_text(job: NetworkImportJob) -> str:
    if job.status == JobStatus.QUEUED:
        return _("En attente : la tâche commence dès qu'un traitement se libère.")
    if job.status == JobStatus.RUNNING:
        if job.rows_total:
            return _("En cours : %(done)s lignes lues sur %(total)s.") % {
                "done": job.rows_done,
                "total": job.rows_total,
            }
        return _("En cours : %(done)s lignes lues.") % {"done": job.rows_done}
    if job.status == JobStatus.FAILED:
        return _("Échec : rien n'a été enregistré. %(error)s") % {"error": job.error}
    if job.dry_run:
        return _("Terminé : l'aperçu est prêt, rien n'est encore enregistré.")
    result = job.result or {}
    text = (
        _(
            "Fichier appliqué : %(created)s fiches créées, %(updated)s mises à jour, "
            "%(unchanged)s inchangées, %(rejected)s lignes refusées."
        )
        % result
    )
    if result.get("unplaced"):
        text += " " + unplaced_text(result["unplaced"])
    return text


def network_jobs_housekeeping() -> int:
    """Close the jobs a stopped worker left unfinished for STALE_AFTER ("échec", with a French
    message; their import was rolled back with the worker), forget the files of previews
    nobody confirmed within UPLOAD_TTL, and the jobs finished more than JOB_KEPT_DAYS ago.
    Returns how many jobs were deleted."""
    now = timezone.now()
    NetworkImportJob.objects.filter(
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING), created_at__lt=now - STALE_AFTER
    ).update(
        status=JobStatus.FAILED,
        error=_("Tâche interrompue (traitement arrêté) : envoyez le fichier à nouveau."),
        finished_at=now,
        content=None,
        rows=None,
    )
    stale = now - timedelta(seconds=UPLOAD_TTL)
    NetworkImportJob.objects.filter(finished_at__lt=stale, content__isnull=False).update(
        content=None
    )
    old = now - timedelta(days=JOB_KEPT_DAYS)
    deleted, _detail = NetworkImportJob.objects.filter(finished_at__lt=old).delete()
    return deleted
