"""Fetchers for local files: CSV (plain or lzma-compressed), JSON and Django JSON fixtures.

They stream, select columns by header name (never by position), and turn every problem
with the file itself (missing, unreadable, truncated, empty, wrong header) into
`ImportFailed`, whose message says it in French (`importers.engine.errors.describe`).
"""

import codecs
import csv
import json
import logging
import lzma
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from django.utils.translation import gettext as _

from importers.engine.base import RawRow
from importers.engine.errors import BadPayload, ImportFailed, describe

logger = logging.getLogger(__name__)

#: Commune outlines sit in one CSV cell; the default limit (128 KiB) is too small for them.
CSV_FIELD_SIZE_LIMIT = 2**31 - 1


@contextmanager
def open_text(path: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Open `path` as text, decompressing .lzma/.xz files. Raises ImportFailed if unreadable."""
    compressed = path.suffix in {".lzma", ".xz"}
    try:
        with (
            lzma.open(path, "rt", encoding=encoding, newline="")
            if compressed
            else path.open(encoding=encoding, newline="")
        ) as stream:
            yield stream
    except OSError as error:
        raise ImportFailed(
            _("Fichier illisible %(path)s : %(error)s") % _cause(path, error)
        ) from error


def csv_rows(
    path: Path,
    *,
    columns: Collection[str],
    optional: Collection[str] = (),
    delimiter: str = ",",
    table: str = "",
    encoding: str = "utf-8",
) -> Iterator[RawRow]:
    """Yield the `columns` and `optional` columns of each data row of a CSV file, values
    trimmed; an optional column the file lacks reads as "".

    Header cells are trimmed too. Row numbers follow a spreadsheet (header = 1).
    `encoding` is the file's (see `detect_encoding` for files that vary).
    Raises ImportFailed when the file cannot be read or decoded, is empty, lacks one of
    `columns`, or has a row whose number of cells differs from the header's (a truncated
    or broken file).
    """
    csv.field_size_limit(CSV_FIELD_SIZE_LIMIT)
    with open_text(path, encoding) as stream:
        try:
            reader = csv.reader(stream, delimiter=delimiter, strict=True)
            positions = _header_positions(_header(reader, path), columns, optional, path)
            yield from _data_rows(reader, positions, table)
        except _CSV_ERRORS as error:
            raise ImportFailed(
                _("Fichier CSV mal formé %(path)s : %(error)s") % _cause(path, error)
            ) from error


def csv_header(path: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> list[str]:
    """The trimmed column names of a CSV file's first line, for a source that reads several
    formats. Raises ImportFailed when the file is unreadable or empty."""
    csv.field_size_limit(CSV_FIELD_SIZE_LIMIT)
    with open_text(path, encoding) as stream:
        try:
            return _names(_header(csv.reader(stream, delimiter=delimiter, strict=True), path))
        except _CSV_ERRORS as error:
            raise ImportFailed(
                _("Fichier CSV mal formé %(path)s : %(error)s") % _cause(path, error)
            ) from error


def load_json(path: Path) -> Any:
    """The decoded content of a JSON file (plain or lzma-compressed).

    Raises ImportFailed, in French, when the file is missing, and BadPayload when it is
    empty, not JSON (an HTML page, a truncated download) or not UTF-8.
    """
    with open_text(path) as stream:
        try:
            return json.load(stream)
        except (json.JSONDecodeError, UnicodeDecodeError, lzma.LZMAError, EOFError) as error:
            raise BadPayload(
                _("Fichier JSON invalide %(path)s : %(error)s") % _cause(path, error)
            ) from error


#: Encodings tried in turn: UTF-8 (strict), then Windows-1252 (Latin-1 plus the quotes and
#: the euro sign it adds), then Latin-1, which decodes any byte.
ENCODINGS = ("utf-8", "cp1252", "latin-1")


def detect_encoding(path: Path, candidates: tuple[str, ...] = ENCODINGS) -> str:
    """The first of `candidates` that decodes the whole file strictly (read in chunks).

    A file that is not UTF-8 is a historical Latin-1 export (the RNA's); a file that starts
    with a UTF-16 byte order mark (Excel's "Texte Unicode") is UTF-16. Raises ImportFailed
    when the file cannot be read.
    """
    if _starts_with_utf16_bom(path):
        return "utf-16"
    for encoding in candidates[:-1]:
        if _decodes(path, encoding):
            return encoding
    return candidates[-1]


def _starts_with_utf16_bom(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    except OSError as error:
        raise ImportFailed(
            _("Fichier illisible %(path)s : %(error)s") % _cause(path, error)
        ) from error


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as error:
        raise ImportFailed(
            _("Fichier illisible %(path)s : %(error)s") % _cause(path, error)
        ) from error
    return True


#: What reading a CSV stream can raise about the file's content (see errors.describe).
_CSV_ERRORS = (csv.Error, UnicodeDecodeError, lzma.LZMAError, EOFError)


def _header(reader, path: Path) -> list[str]:
    """The first line's cells. Raises ImportFailed when the file has no line with a name:
    saying "empty" beats listing every column as missing."""
    header = next(reader, [])
    if not any(_names(header)):
        raise ImportFailed(_("%(path)s est vide.") % {"path": path.name})
    return header


def _names(header: list[str]) -> list[str]:
    return [cell.strip().lstrip("\ufeff").strip() for cell in header]


def _header_positions(
    header: list[str], columns: Collection[str], optional: Collection[str], path: Path
) -> dict:
    names = _names(header)
    missing = [column for column in columns if column not in names]
    if missing:
        raise ImportFailed(
            _("En-tête inattendu dans %(path)s : colonnes manquantes %(missing)s.")
            % {"path": path.name, "missing": ", ".join(missing)}
        )
    present = [*columns, *(column for column in optional if column in names)]
    return {
        "width": len(names),
        "columns": {column: names.index(column) for column in present},
        "absent": dict.fromkeys((column for column in optional if column not in names), ""),
    }


def _data_rows(reader, positions: dict, table: str) -> Iterator[RawRow]:
    width, columns, absent = positions["width"], positions["columns"], positions["absent"]
    for number, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != width:
            raise ImportFailed(
                _("Ligne %(number)s : %(count)s cellules au lieu de %(width)s (fichier tronqué ?).")
                % {"number": number, "count": len(cells), "width": width}
            )
        data = {column: cells[index].strip() for column, index in columns.items()} | absent
        yield RawRow(number=number, data=data, table=table)


def fixture_rows(
    path: Path, *, model: str, drop: Collection[str] = (), required: Collection[str] = ()
) -> Iterator[RawRow]:
    """Yield the records of a Django fixture (dumpdata JSON) of `model` as {"pk", **fields}.

    Fields named in `drop`, or starting with one of them followed by "*", are left out:
    they never reach the database, the provenance or a rejection.
    Raises ImportFailed when the file is not valid JSON, not a fixture of `model`, or when
    a field of `required` is absent from every record (a renamed field: see require_keys).
    """
    records = load_json(path)
    if not isinstance(records, list):
        raise ImportFailed(
            _("%(path)s n'est pas une liste d'enregistrements.") % {"path": path.name}
        )
    data = [
        _fixture_record(record, model, drop, number)
        for number, record in enumerate(records, start=1)
    ]
    require_keys(data, required, path.name)
    for number, fields in enumerate(data, start=1):
        yield RawRow(number=number, data=fields)


def _fixture_record(record: object, model: str, drop: Collection[str], number: int) -> dict:
    if not (
        isinstance(record, dict)
        and record.get("model") == model
        and isinstance(record.get("fields"), dict)
    ):
        raise ImportFailed(
            _("Enregistrement %(number)s : ce n'est pas un enregistrement %(model)s.")
            % {"number": number, "model": model}
        )
    fields = {name: value for name, value in record["fields"].items() if not _dropped(name, drop)}
    return {"pk": record.get("pk"), **fields}


def _dropped(name: str, drop: Collection[str]) -> bool:
    return any(
        name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern
        for pattern in drop
    )


def _cause(path: Path, error: Exception) -> dict[str, str]:
    return {"path": path.name, "error": describe(error)}


def require_keys(records: Sequence[Mapping], keys: Collection[str], name: str) -> None:
    """Raise ImportFailed when one of `keys` is absent from every record of a non-empty
    file: the file is not the one expected (a renamed field, another dataset). A key that
    only some records lack is each of those records' problem (a rejection)."""
    if not records:
        return
    missing = [key for key in keys if not any(key in record for record in records)]
    if missing:
        raise ImportFailed(
            _("Champs absents de tous les enregistrements de %(name)s : %(missing)s.")
            % {"name": name, "missing": ", ".join(missing)}
        )
