"""Typed errors of the import framework (STYLE rule 7)."""

import csv
import errno
import json
import lzma
import zipfile
import zlib
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ImporterError(Exception):
    """An error an importer raises on purpose, with a message a person can act on."""


class RowRejected(ImporterError):
    """One row is refused: the run records `reason` with the row and goes on.

    `follow_up`, when given, is called once the row's savepoint is rolled back, inside the
    run's transaction (so a dry run undoes it too): what the refusal itself records, e.g.
    a network's membership request (importers.sources.network_csv).
    """

    def __init__(self, reason: str, *, follow_up: Callable[[], object] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.follow_up = follow_up


class ImportFailed(ImporterError):
    """The whole run fails: what it wrote is rolled back and its ImportRun keeps the cause."""


class DatabaseFailed(ImportFailed):
    """The database refused or lost the run itself (a lock or statement timeout, a deadlock,
    a lost connection): nothing a row said, so no row is to blame. The run is rolled back and
    recorded as failed (importers.engine.runs.database_failure)."""


class RunInterrupted(ImportFailed):
    """The run stopped before its end (its deadline passed): rolled back and recorded as
    interrupted (RunStatus.INTERRUPTED)."""


class UnknownSource(ImportFailed):
    """No importer has this slug (yet)."""


class FetchFailed(ImportFailed):
    """A remote source keeps failing (timeouts, 5xx, 429 past the retries) or refuses (4xx)."""


class BadPayload(ImportFailed):
    """A remote source answered, but not what was expected: HTML instead of JSON, a wrong
    envelope, a truncated or empty file."""


#: Errors of reading a file, most specific first, with what they mean for a person.
_FILE_ERRORS = (
    (FileNotFoundError, gettext_lazy("fichier introuvable")),
    (IsADirectoryError, gettext_lazy("c'est un dossier, pas un fichier")),
    (PermissionError, gettext_lazy("lecture non autorisée")),
    (zipfile.BadZipFile, gettext_lazy("ce n'est pas une archive zip valide")),
    (
        (lzma.LZMAError, zlib.error),
        gettext_lazy("données compressées illisibles (fichier tronqué ou d'un autre format)"),
    ),
    (EOFError, gettext_lazy("fin de fichier inattendue (fichier tronqué)")),
)


def describe(error: BaseException) -> str:
    """What went wrong with a file, in French, for a person: the messages of Python and its
    libraries (English, often cryptic) are never shown as they are.

    Knows the errors of reading a file (missing, not allowed, undecodable, truncated,
    compressed or zipped wrongly, malformed CSV or JSON); anything else is named by its
    type only (the log keeps the original message).
    """
    if isinstance(error, UnicodeDecodeError):
        return _(
            "octet 0x%(byte)02x illisible en %(encoding)s (position %(position)s) : le fichier "
            "n'est pas dans l'encodage attendu"
        ) % {
            "byte": error.object[error.start] if error.start < len(error.object) else 0,
            "encoding": error.encoding.upper(),
            "position": error.start,
        }
    if isinstance(error, json.JSONDecodeError):
        if not error.doc.strip():
            return _("fichier vide")
        return _(
            "JSON invalide ligne %(line)s, colonne %(column)s (une page HTML, un fichier tronqué ?)"
        ) % {"line": error.lineno, "column": error.colno}
    if isinstance(error, csv.Error):
        return _csv_problem(error)
    for kind, message in _FILE_ERRORS:
        if isinstance(error, kind):
            return str(message)
    if isinstance(error, OSError):
        return _("erreur de lecture (%(code)s)") % {
            "code": errno.errorcode.get(error.errno or 0, type(error).__name__)
        }
    return _("erreur %(type)s") % {"type": type(error).__name__}


def _csv_problem(error: csv.Error) -> str:
    """The csv module's few precise messages, said in French; the others as one."""
    message = str(error)
    if message.startswith("field larger than field limit"):
        return _(
            "une cellule dépasse %(limit)s caractères (limite CARTESS_IMPORT_MAX_CELL ; "
            "un guillemet non fermé ?)"
        ) % {"limit": csv.field_size_limit()}
    if message == "unexpected end of data":
        return _("guillemet non fermé en fin de fichier : la dernière cellule est tronquée")
    return _("structure CSV invalide (guillemet non fermé, fichier tronqué ou binaire)")
