"""What a row of the network CSV template says, cell by cell (importers.sources.network_csv).

The columns of the template; which organisation fields each fills; the clear marker; the
values never kept (a person's e-mail, a mobile), withheld from the raw row; the template's
example row, which is not a member. Pure: no database.
"""

import csv
import io
from collections.abc import Collection, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from directory.records import OrganisationData
from importers.engine.errors import RowRejected
from importers.engine.loaders import ORGANISATION_FIELDS
from importers.engine.mapping import required_text, text
from importers.sources.data_inclusion import landline, structure_email

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "network-csv-template.csv"
REQUIRED = ("reseau", "nom")
OPTIONAL = (
    "siret",
    "rna",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "code_insee",
    "latitude",
    "longitude",
    "site_web",
    "courriel",
    "telephone",
    "types",
    "filieres",
    "description",
    "adherent_depuis",
    "meme_que",
)
#: `meme_que`: the Cartess number of the listing a row without SIRET or RNA describes (the
#: editor's confirmation of a proposed match), or this word: a new listing, not that one.
SAME_AS_NEW = "nouvelle"
#: The marker of a cell whose field is to be emptied (an empty cell changes nothing).
CLEAR = "(effacer)"
#: What stands in the raw row for a value never kept (a person's e-mail, a mobile...).
WITHHELD = "(non publié)"
_POINT = ("location", "geocoding_quality", "geocoding_score")
#: The organisation fields each optional column fills (OrganisationLoader's snapshot names).
COLUMN_FIELDS: dict[str, tuple[str, ...]] = {
    "siret": ("siret", "siren"),
    "rna": ("rna_id",),
    "adresse": ("street",),
    "complement_adresse": ("address_complement",),
    "code_postal": ("postcode",),
    "commune": ("city",),
    "code_insee": ("insee_code",),
    "latitude": _POINT,
    "longitude": _POINT,
    "site_web": ("website",),
    "courriel": ("email",),
    "telephone": ("phone",),
    "types": ("kinds",),
    "filieres": ("sectors",),
    "description": ("description",),
}
#: The columns CLEAR may empty: identifiers and the terms (which imports only add) cannot.
CLEARABLE = (
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune",
    "code_insee",
    "latitude",
    "longitude",
    "site_web",
    "courriel",
    "telephone",
    "description",
)
#: Organisation fields no column fills: a member row never says anything about them.
NEVER_SAID = (
    frozenset(ORGANISATION_FIELDS)
    - {"name", "ess_status", "ess_status_source"}
    - {name for names in COLUMN_FIELDS.values() for name in names}
)


def row_said(raw: Mapping[str, str]) -> tuple[dict[str, str], frozenset[str]]:
    """The row's cells, CLEAR read as "", and the columns it says nothing about (absent,
    empty or withheld). Raises RowRejected for CLEAR in a column it cannot empty."""
    values = {column: text(raw, column) for column in (*REQUIRED, *OPTIONAL)}
    cleared = {column for column, value in values.items() if value.lower() == CLEAR}
    refused = sorted(cleared - set(CLEARABLE))
    if refused:
        raise RowRejected(
            _("« %(marker)s » ne peut pas vider la colonne %(columns)s.")
            % {"marker": CLEAR, "columns": ", ".join(refused)}
        )
    silent = {column for column, value in values.items() if value in ("", WITHHELD)}
    if cleared & {"latitude", "longitude"}:
        silent -= {"latitude", "longitude"}  # a point is cleared whole
        cleared |= {"latitude", "longitude"}
    values |= {column: "" for column in cleared} | {column: "" for column in silent}
    values["reseau"] = required_text(raw, "reseau", _("Réseau"))
    return values, frozenset(silent - cleared)


#: The fields whose value a row may give without it being kept, and the warning then.
_DROPPABLE = {
    "site_web": ("website", _lazy("site web invalide : non publié")),
    "courriel": ("email", _lazy("e-mail personnel ou illisible : non publié")),
    "telephone": ("phone", _lazy("téléphone mobile ou illisible : non publié")),
    "code_postal": ("postcode", _lazy("code postal illisible : non publié")),
    "code_insee": ("insee_code", _lazy("code INSEE illisible : non publié")),
}


def row_unknown(*, columns: Collection[str]) -> frozenset[str]:
    """The organisation fields a row says nothing about when it says nothing of `columns`
    (absent, empty or dropped), with those no column fills. Pure."""
    return NEVER_SAID | {name for column in columns for name in COLUMN_FIELDS.get(column, ())}


def row_dropped(raw: Mapping[str, str], organisation: OrganisationData, warnings: list) -> set[str]:
    """The columns whose value the row gives but `organisation` does not keep, each with its
    warning added to `warnings`."""
    dropped = set()
    for column, (name, warning) in _DROPPABLE.items():
        value = text(raw, column)
        if value and value.lower() != CLEAR and not getattr(organisation, name):
            dropped.add(column)
            warnings.append(str(warning))
    return dropped


def row_cells(record: Mapping[str, Any]) -> dict[str, str]:
    """The template's columns `record` has (an absent one stays absent: it says nothing),
    trimmed; a person's e-mail or a mobile is replaced by WITHHELD, so that it never
    reaches the database (the raw row is stored)."""
    columns = (*REQUIRED, *OPTIONAL)
    data = {name: (record[name] or "").strip() for name in columns if name in record}
    notes: list[str] = []
    for column, kept in (("courriel", structure_email), ("telephone", landline)):
        value = data.get(column, "")
        if value and value.lower() != CLEAR and not kept(value, notes):
            data[column] = WITHHELD
    return data


@cache
def _example() -> dict[str, str]:
    """The template's example row, without its network (the downloaded template names the
    network of the person who downloads it)."""
    header, row = list(csv.reader(io.StringIO(TEMPLATE.read_text(encoding="utf-8"))))[:2]
    return {name: value for name, value in zip(header, row, strict=True) if name != "reseau"}


def row_check_not_example(raw: Mapping[str, str]) -> None:
    """Raise RowRejected when `raw` is the template's example row: it bears its name, or
    every other cell of the example. Pure (the template ships with the code)."""
    example = _example()
    same_name = text(raw, "nom").casefold() == example["nom"].casefold()
    same_cells = all(text(raw, name) == value for name, value in example.items())
    if same_name or same_cells:
        raise RowRejected(
            _("Ligne d'exemple du modèle : remplacez-la par vos adhérents (rien n'est importé).")
        )
