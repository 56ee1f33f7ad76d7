"""Rows of plain values written as a CSV a French spreadsheet reads, with the Table Schema
that tells a program how to read them back.

A French spreadsheet splits the cells on `;` and reads `50,63` as a number: decimals are
written with a comma (`decimalChar` in the schema). Lists are joined with `|`, which no
spreadsheet takes for a separator of cells. Every cell goes through the formula-injection
protection of `directory.csv_export`.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from directory.csv_export import csv_response

LIST_SEPARATOR = "|"


def cell(value) -> object:
    """One value as a CSV cell: a list joined by `|`, a decimal with a comma, None empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value


def table_rows(rows: Iterable[dict], columns: list[str]) -> Iterator[list]:
    for row in rows:
        yield [cell(row.get(column)) for column in columns]


def table_csv_response(*, filename: str, columns: list[str], rows: Iterable[dict]):
    """`rows` (dicts) as a CSV download of `columns` (see the module's docstring)."""
    return csv_response(filename=filename, header=columns, rows=table_rows(rows, columns))


def table_schema(columns: list[str], *, types: dict[str, str], lists: Iterable[str] = ()) -> dict:
    """A Table Schema for `columns`: the type of `types` (else string), numbers with a
    decimal comma, list columns described as joined by `|`."""
    fields = []
    for column in columns:
        field = {"name": column, "type": types.get(column, "string")}
        if field["type"] == "number":
            field["decimalChar"] = ","
        if column in lists:
            field["description"] = f"Liste, valeurs séparées par « {LIST_SEPARATOR} »."
        fields.append(field)
    return {"fields": fields}
