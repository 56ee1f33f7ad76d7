"""Fetchers for local files: CSV (plain or compressed: zip, gzip, lzma), JSON and Django
JSON fixtures, all opened through the bounded reader (importers.io.bounded: limits, one
encoding detection, JSON depth).

They stream, select columns by header name (never by position), and turn every problem
with the file itself (missing, unreadable, truncated, empty, wrong or duplicated header,
past a limit) into `ImportFailed`, whose message says it in French
(`importers.engine.errors.describe`).
"""

import csv
import logging
import lzma
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from importers.engine.base import RawRow
from importers.engine.errors import ImportFailed, describe
from importers.io.bounded import (
    Encoding,
    csv_limit,
    csv_lines,
    encoding_detect,
    json_read,
    open_text,
    rows_check,
)
from importers.io.json_items import JsonRecords, json_records, keys_check

logger = logging.getLogger(__name__)


def csv_rows(
    path: Path,
    *,
    columns: Collection[str],
    optional: Collection[str] = (),
    delimiter: str = ",",
    table: str = "",
    encoding: Encoding | None = None,
) -> Iterator[RawRow]:
    """Yield the `columns` and `optional` columns of each data row of a CSV file, values
    trimmed; an optional column the file lacks reads as "".

    Header cells are trimmed too. Row numbers follow a spreadsheet (header = 1).
    The file is read through importers.io.bounded: decompressed within the limits, its
    `encoding` detected unless given (`detect_encoding`); in a mixed file, the rows that are
    not UTF-8 come out with their `defect` set (the engine rejects them).
    Raises ImportFailed when the file cannot be read or decoded, is empty, lacks one of
    `columns` or names one twice, has a row whose number of cells differs from the header's
    (a truncated or broken file), an unclosed quote, or goes past a limit (LimitExceeded).
    """
    csv_limit()
    with open_text(path, encoding=encoding) as stream:
        try:
            lines = csv_lines(stream, path.name)
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            positions = _header_positions(_header(reader, path), columns, optional, path)
            yield from _data_rows(reader, positions, table, path)
        except _CSV_ERRORS as error:
            raise ImportFailed(
                _("Fichier CSV mal formé %(path)s : %(error)s") % _cause(path, error)
            ) from error


def csv_header(path: Path, *, delimiter: str = ",", encoding: Encoding | None = None) -> list[str]:
    """The trimmed column names of a CSV file's first line, for a source that reads several
    formats. Raises ImportFailed when the file is unreadable or empty."""
    csv_limit()
    with open_text(path, encoding=encoding) as stream:
        try:
            lines = csv_lines(stream, path.name)
            return _names(_header(csv.reader(lines, delimiter=delimiter, strict=True), path))
        except _CSV_ERRORS as error:
            raise ImportFailed(
                _("Fichier CSV mal formé %(path)s : %(error)s") % _cause(path, error)
            ) from error


def load_json(path: Path) -> Any:
    """The decoded content of a JSON file (plain or compressed), within the limits of
    importers.io.bounded (size, depth).

    Raises ImportFailed, in French, when the file is missing or past a limit, and BadPayload
    when it is empty, not JSON (an HTML page, a truncated download) or not decodable.
    """
    return json_read(path)


def detect_encoding(path: Path) -> Encoding:
    """How `path` is encoded (importers.io.bounded.encoding_detect: UTF-16 with a BOM,
    UTF-8, a mix of UTF-8 and other bytes, else the settings' fallbacks). Raises
    ImportFailed when the file cannot be read or decoded."""
    return encoding_detect(path)


#: What reading a CSV stream can raise about the file's content (see errors.describe).
_CSV_ERRORS = (csv.Error, UnicodeDecodeError, lzma.LZMAError, zlib.error, EOFError)


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
    header_check_unique(names, path.name)
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


def header_check_unique(names: Sequence[str], name: str) -> None:
    """Raise ImportFailed when a column name appears twice in a header: which of the two
    cells holds the value is anyone's guess."""
    seen: set[str] = set()
    twice = sorted({column for column in names if column and (column in seen or seen.add(column))})
    if twice:
        raise ImportFailed(
            _("En-tête de %(path)s : colonne en double %(names)s.")
            % {"path": name, "names": ", ".join(twice)}
        )


def _data_rows(reader, positions: dict, table: str, path: Path) -> Iterator[RawRow]:
    width, columns, absent = positions["width"], positions["columns"], positions["absent"]
    for number, cells in enumerate(reader, start=2):
        rows_check(number - 1, path.name)
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
    a field of `required` (never a dropped one) is absent from every record (a renamed
    field: see require_keys), before it yields a row. Records are read one at a time
    (importers.io.json_items): memory holds one record, not the file.
    """
    found = json_records(
        path,
        key="",
        check=lambda found, records: _fixture_check(found, records, model, required, path.name),
    )
    if found.is_object or found.items is None:
        raise ImportFailed(
            _("%(path)s n'est pas une liste d'enregistrements.") % {"path": path.name}
        )
    for number, record in enumerate(found.items(), start=1):
        kept = {name: value for name, value in record["fields"].items() if not _dropped(name, drop)}
        yield RawRow(number=number, data={"pk": record.get("pk"), **kept})


def _fixture_check(
    found: JsonRecords, records: Iterator, model: str, required: Collection[str], name: str
) -> None:
    """Raise ImportFailed when a record is not one of `model`, or a field of `required` is
    absent from every record (see fixture_rows); a file that is no list is read through."""
    if found.is_object:
        for _record in records:
            pass  # a broken file is said as such; fixture_rows says it is no list
        return
    fields = (_fixture_fields(record, model, number) for number, record in enumerate(records, 1))
    keys_check(fields, [key for key in required if key != "pk"], name)


def _fixture_fields(record: object, model: str, number: int) -> dict:
    """The `fields` of a fixture record of `model`. Raises ImportFailed otherwise."""
    if not (
        isinstance(record, dict)
        and record.get("model") == model
        and isinstance(record.get("fields"), dict)
    ):
        raise ImportFailed(
            _("Enregistrement %(number)s : ce n'est pas un enregistrement %(model)s.")
            % {"number": number, "model": model}
        )
    return record["fields"]


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
