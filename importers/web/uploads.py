"""A network editor's CSV upload: validate, keep, preview (dry run), then apply.

The file goes through the `network-csv` importer, limited to the editor's network
(`source_import(..., scope=network)`): a row of another network, or an organisation that
belongs to other networks only, is rejected. Between the preview and the confirmation the
file waits in a private temporary folder named by a random token that only the uploader's
session holds, with its sha256, so the confirmation applies exactly the file that was
previewed. The network API (importers.web.api) hands its JSON rows to the same engine and
preview as raw rows (`network_rows_preview`, `network_rows_apply`): no file is written.
"""

import csv
import hashlib
import io
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.csv_export import csv_writer
from directory.edit_credit import EditCredit, organisation_edit_credit_note
from directory.models import EditedBy, Organisation
from importers.engine.base import RawRow
from importers.engine.errors import ImportFailed
from importers.engine.loaders import OrganisationLoader
from importers.engine.progress import ProgressCallback
from importers.engine.services import ImportReport, LoadedRow, source_import
from importers.engine.upsert import Outcome
from importers.sources.network_csv import (
    OPTIONAL,
    REQUIRED,
    TEMPLATE,
    UNPLACED,
    NetworkCsvSource,
    raw_rows,
)
from importers.sources.network_matching import likely_listing_id

SLUG = "network-csv"
#: A network's member file is a few hundred rows: 2 MB is generous and keeps uploads cheap.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
EXTENSIONS = (".csv", ".txt")
SESSION_KEY = "network_csv_upload"
UPLOAD_ROOT = Path(tempfile.gettempdir()) / "cartess-network-csv"
#: A preview nobody confirmed is deleted after this many seconds.
UPLOAD_TTL = 24 * 3600
MEMBERSHIP = "membership"
#: Kept with the point, not worth a line of their own in the preview.
KEPT_WITH_THE_POINT = ("geocoding_quality", "geocoding_score")


class UploadRefused(Exception):
    """The upload cannot be used; `message` tells the person why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


#: The preview page lists this many lines at most (all are counted): a file of 100,000
#: copies of one member made a 19 MB page that took 28 s to render, past the server's timeout.
PREVIEW_SHOWN = 1000
#: What a previewed line would become; "outside": out of Cartess's territory, not imported.
PREVIEW_STATUSES = ("new", "changed", "unchanged", "rejected", "outside")


@dataclass
class RowPreview:
    """One line of the file: `status` is one of PREVIEW_STATUSES; `not_applied`, the values
    the line gives that would not be applied, each with its reason."""

    number: int
    name: str
    status: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    not_applied: tuple[str, ...] = ()
    #: The listing a row without SIRET or RNA is held for ("à confirmer"), if any.
    likely_id: int | None = None


@dataclass
class Preview:
    """What confirming the file would do, row by row, and the token to confirm it."""

    token: str
    filename: str
    rows: list[RowPreview]

    @property
    def counts(self) -> dict[str, int]:
        """How many rows have each of PREVIEW_STATUSES."""
        return preview_counts(self.rows)

    @property
    def shown(self) -> list[RowPreview]:
        """The lines the page lists, in file order, PREVIEW_SHOWN at most: those "à
        confirmer" (which ask for an answer) chosen first, then the others in file order."""
        if len(self.rows) <= PREVIEW_SHOWN:
            return self.rows
        asking = [row for row in self.rows if row.likely_id]
        others = [row for row in self.rows if not row.likely_id]
        return sorted((asking + others)[:PREVIEW_SHOWN], key=lambda row: row.number)

    @property
    def hidden(self) -> int:
        """How many lines the page does not list (see `shown`)."""
        return max(len(self.rows) - PREVIEW_SHOWN, 0)

    @property
    def applicable(self) -> bool:
        return any(row.status in ("new", "changed") or row.likely_id for row in self.rows)


def network_upload_preview(
    *, network: Organisation, upload: UploadedFile, session: MutableMapping
) -> Preview:
    """Check and keep `upload`, then run the importer as a dry run, forced to `network`.

    Remembers the file in `session` for `network_upload_apply`. Writes no listing (the dry
    run is rolled back; only its ImportRun is recorded). Raises UploadRefused with a French
    message when the file is too big, empty, not a CSV or has the wrong header; the file is
    then not kept.
    """
    upload_discard(session=session)
    content = _checked_content(upload)
    stored = _store(network, get_valid_filename(Path(upload.name or "").name), content)
    try:
        rows = _dry_run(network, path=Path(stored["path"]))
    except ImportFailed as error:
        shutil.rmtree(Path(stored["path"]).parent, ignore_errors=True)
        raise UploadRefused(str(error)) from error
    session[SESSION_KEY] = stored
    return Preview(token=stored["token"], filename=stored["name"], rows=rows)


def network_upload_apply(
    *,
    network: Organisation,
    token: str,
    session: MutableMapping,
    same_as: Mapping[int, str] | None = None,
) -> ImportReport:
    """Apply the previewed file of `session` (named by `token`) to `network`, atomically.

    `same_as` holds the editor's answers in the preview for the rows "à confirmer" (row
    number -> a listing's number or "nouvelle"): the row's `meme_que`.

    Runs the importer for real, forced to `network`: provenance, history ("import
    network-csv", with the person of the request) and the human-edit rule apply, in one
    transaction. The kept file is deleted whatever happens. Raises UploadRefused when the
    token, the network or the file's hash does not match, or when the run fails (then
    nothing was written).
    """
    path = _stored_path(network, token, session.get(SESSION_KEY))
    try:
        if same_as:
            rows = _answered(NetworkCsvSource().read(path), same_as)
            return source_import(
                slug=SLUG, rows=rows, scope=network, inspect=network_credit(network)
            )
        return source_import(slug=SLUG, path=path, scope=network, inspect=network_credit(network))
    except ImportFailed as error:
        raise UploadRefused(str(error)) from error
    finally:
        upload_discard(session=session)


def network_credit(network: Organisation) -> Callable[[ImportReport], None]:
    """The `inspect` of a network's own sending: inside the run's transaction, the listings
    it created or changed are credited to `network` on the map (directory.edit_credit); a
    dry run rolls the note back with the rest."""
    credit = EditCredit(by=EditedBy.NETWORK, network=network)

    def note(report: ImportReport) -> None:
        changed = {Outcome.CREATED, Outcome.UPDATED}
        ids = {row.object_id for row in report.loaded if row.outcome in changed and row.object_id}
        organisation_edit_credit_note(organisation_ids=ids, credit=credit)

    return note


def _answered(rows: Iterable[RawRow], same_as: Mapping[int, str]) -> list[RawRow]:
    """The file's rows, each answered in the preview with its `meme_que`."""
    return [
        RawRow(number=row.number, data=row.data | {"meme_que": same_as[row.number]})
        if row.number in same_as
        else row
        for row in rows
    ]


def upload_discard(*, session: MutableMapping) -> None:
    """Forget the file kept in `session` and delete it, with any abandoned upload."""
    stored = session.pop(SESSION_KEY, None)
    if stored and _token_is_safe(stored.get("token", "")):
        shutil.rmtree(UPLOAD_ROOT / stored["token"], ignore_errors=True)
    _purge_abandoned()


def network_csv_template(*, network: Organisation) -> str:
    """The documented template, its example row naming `network` (by its slug)."""
    rows = list(csv.reader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))
    column = rows[0].index("reseau")
    for row in rows[1:]:
        row[column] = network.slug
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _checked_content(upload: UploadedFile) -> bytes:
    """The bytes of `upload`; UploadRefused when it cannot be a member file."""
    name = (upload.name or "").lower()
    if not name.endswith(EXTENSIONS):
        raise UploadRefused(
            _("Envoyez un fichier .csv (dans Excel ou LibreOffice : « Enregistrer sous » CSV).")
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("Fichier trop gros : %(max)s Mo au plus.") % {"max": MAX_UPLOAD_BYTES // 2**20}
        )
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("Fichier trop gros : %(max)s Mo au plus.") % {"max": MAX_UPLOAD_BYTES // 2**20}
        )
    _check_text(content)
    return content


def _check_text(content: bytes) -> None:
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise UploadRefused(_("Le fichier est vide."))
    if start[:1] == b"<":
        raise UploadRefused(
            _("Ce fichier est une page web (HTML), pas un tableau CSV : partez du modèle.")
        )
    if b"\x00" in content:
        raise UploadRefused(
            _("Ce fichier n'est pas un texte CSV (un classeur .xlsx ?) : enregistrez-le en CSV.")
        )


def _store(network: Organisation, name: str, content: bytes) -> dict[str, Any]:
    _purge_abandoned()
    token = secrets.token_urlsafe(24)
    folder = UPLOAD_ROOT / token
    folder.mkdir(parents=True, mode=0o700)
    path = folder / (name or "adherents.csv")
    path.write_bytes(content)
    return {
        "token": token,
        "name": path.name,
        "path": str(path),
        "sha256": hashlib.sha256(content).hexdigest(),
        "network": network.pk,
    }


def _stored_path(network: Organisation, token: str, stored: dict | None) -> Path:
    """The kept file if `stored` (the session's) matches `token`, `network` and its hash."""
    gone = UploadRefused(_("Ce fichier n'est plus disponible : envoyez-le à nouveau."))
    if not stored or not secrets.compare_digest(str(stored.get("token", "")), token or ""):
        raise gone
    if stored.get("network") != network.pk or not _token_is_safe(token):
        raise gone
    path = UPLOAD_ROOT / token / Path(stored["name"]).name
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise gone from None
    if digest != stored.get("sha256"):
        raise gone
    return path


def _token_is_safe(token: str) -> bool:
    return bool(token) and all(c.isalnum() or c in "-_" for c in token)


def _purge_abandoned() -> None:
    if not UPLOAD_ROOT.is_dir():
        return
    limit = time.time() - UPLOAD_TTL
    for folder in UPLOAD_ROOT.iterdir():
        with suppress(OSError):  # another request may be deleting it
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)


def _dry_run(
    network: Organisation,
    *,
    path: Path | None = None,
    rows: list[RawRow] | None = None,
    progress: ProgressCallback | None = None,
) -> list[RowPreview]:
    """Run the importer on the file `path` (or the raw `rows`) as a dry run limited to
    `network`, and compare what it wrote with the current values. `progress` follows the
    rows read (a background job, importers.web.jobs)."""
    after: dict[int, dict] = {}

    def capture(report: ImportReport) -> None:
        after.update(_snapshots(network, _updated_ids(report)))

    report = source_import(
        slug=SLUG,
        path=path,
        rows=rows,
        scope=network,
        dry_run=True,
        inspect=capture,
        progress=progress,
    )
    before = _snapshots(network, after)
    read = rows if rows is not None else NetworkCsvSource().read(path)
    names = {row.number: row.data["nom"] for row in read}
    rows = [_loaded_preview(row, names, before, after) for row in report.loaded]
    rows += [
        RowPreview(
            r.row_number,
            names.get(r.row_number, ""),
            "rejected",
            reason=r.reason,
            likely_id=likely_listing_id(r.reason),
        )
        for r in report.rejections
    ]
    outside = _("adresse hors du territoire de Cartess : ligne non importée")
    rows += [
        RowPreview(number, names.get(number, ""), "outside", reason=outside)
        for number in report.outside_rows
    ]
    return sorted(rows, key=lambda row: row.number)


def preview_counts(rows: Iterable[RowPreview]) -> dict[str, int]:
    """How many of `rows` have each of PREVIEW_STATUSES."""
    counts = dict.fromkeys(PREVIEW_STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def report_unplaced(report: ImportReport) -> list[int]:
    """The rows `report` loaded without the point their address should have given, because
    the BAN did not answer (importers.sources.network_csv.UNPLACED)."""
    unplaced = str(UNPLACED)
    return [row.number for row in report.loaded if unplaced in row.warnings]


def unplaced_text(rows: list[int]) -> str:
    """What a person reads of the rows `report_unplaced` gives."""
    return ngettext(
        "Le géocodeur (BAN) n'a pas répondu : %(n)s fiche est importée sans position sur la "
        "carte (ligne %(rows)s) ; un nouvel envoi la placera.",
        "Le géocodeur (BAN) n'a pas répondu : %(n)s fiches sont importées sans position sur "
        "la carte (lignes %(rows)s) ; un nouvel envoi les placera.",
        len(rows),
    ) % {"n": len(rows), "rows": ", ".join(str(number) for number in rows)}


def _updated_ids(report: ImportReport) -> list[int]:
    return [row.object_id for row in report.loaded if row.outcome == Outcome.UPDATED]


def _loaded_preview(row: LoadedRow, names: dict, before: dict, after: dict) -> RowPreview:
    name = names.get(row.number, "")
    not_applied = _not_applied(row)
    if row.outcome == Outcome.CREATED:
        return RowPreview(row.number, name, "new", not_applied=not_applied)
    changes = _changes(before.get(row.object_id, {}), after.get(row.object_id, {}))
    status = "changed" if changes else "unchanged"
    return RowPreview(row.number, name, status, changes, not_applied=not_applied)


def _not_applied(row: LoadedRow) -> tuple[str, ...]:
    """What the row gives that is not applied, and why: a value a person or another source
    gave kept (the human-edit rule), a value the mapper dropped (its warnings)."""
    kept = [
        _(
            "%(field)s : la valeur de Cartess est conservée (corrigée par une personne ou "
            "venue d'une autre source)"
        )
        % {"field": _label(name)}
        for name in row.kept
        if name not in KEPT_WITH_THE_POINT
    ]
    return (*kept, *row.warnings)


def _snapshots(network: Organisation, ids: Iterable[int]) -> dict[int, dict]:
    """The comparable values of the organisations `ids`, with their membership of `network`."""
    loader = OrganisationLoader()
    organisations = Organisation.objects.filter(pk__in=list(ids)).select_related("legal_family")
    members = set(network.memberships_as_network.values_list("member_id", flat=True))
    return {
        organisation.pk: loader.snapshot_instance(organisation)
        | {MEMBERSHIP: organisation.pk in members}
        for organisation in organisations
    }


def _changes(before: dict, after: dict) -> list[FieldChange]:
    """The fields whose value differs; a value emptied (only the clear marker does it)
    shows as "(effacé)"."""
    return [
        FieldChange(_label(name), _shown(before.get(name)), _shown(value) or _("(effacé)"))
        for name, value in after.items()
        if before.get(name) != value
    ]


def _label(name: str) -> str:
    if name == MEMBERSHIP:
        return _("membre du réseau")
    return str(Organisation._meta.get_field(name).verbose_name)


def _shown(value: Any) -> str:
    if value is True:
        return _("oui")
    if value is False:
        return _("non")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


#: The columns of the template, in its order: the API takes rows keyed by these names.
COLUMNS = (*REQUIRED, *OPTIONAL)


def network_rows_preview(*, network: Organisation, rows: list[dict[str, str]]) -> list[RowPreview]:
    """The dry run of `rows` (dicts keyed by template columns) for `network`, row by row.

    The same engine and preview as an uploaded file (`network_upload_preview`), without a
    file; row numbers are positions in `rows`, from 1. Writes no listing (only the run's
    ImportRun is recorded). Raises UploadRefused when the run fails as a whole.
    """
    try:
        return _dry_run(network, rows=list(raw_rows(rows)))
    except ImportFailed as error:
        raise UploadRefused(str(error)) from error


def network_rows_apply(*, network: Organisation, rows: list[dict[str, str]]) -> ImportReport:
    """Apply `rows` to `network` through the `network-csv` importer, atomically.

    As `network_upload_apply` does for a file: limited to `network`, with provenance,
    history and the human-edit rule, in one transaction. Rejected rows are numbered by their
    position in `rows`, from 1. Raises UploadRefused when the run fails (nothing written).
    """
    try:
        return source_import(
            slug=SLUG, rows=raw_rows(rows), scope=network, inspect=network_credit(network)
        )
    except ImportFailed as error:
        raise UploadRefused(str(error)) from error
