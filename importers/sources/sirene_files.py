"""The SIRENE stock files (importers.sources.sirene): found by their official names in a folder
or a zip (each may itself be zipped, as data.gouv.fr serves them), and streamed.

Files are never read whole: csv reads a text stream, a zip member is a stream, and only the
columns a source asks for are picked, by header name, every code staying a string.
"""

import csv
import io
import operator
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.utils.translation import gettext as _

from importers.engine.errors import ImportFailed, describe
from importers.engine.mapping import clean_qpv_code
from importers.io.bounded import csv_limit, csv_lines, open_binary, rows_check
from importers.io.readers import header_check_unique

ETABLISSEMENTS = "etablissements"
UNITES_LEGALES = "unites_legales"
GEOLOCALISATION = "geolocalisation"
#: Official file names (data.gouv.fr), with or without "_utf8", as .csv or .zip.
FILE_NAMES = {
    ETABLISSEMENTS: re.compile(r"^StockEtablissement(_utf8)?\.(csv|zip)$", re.IGNORECASE),
    UNITES_LEGALES: re.compile(r"^StockUniteLegale(_utf8)?\.(csv|zip)$", re.IGNORECASE),
    GEOLOCALISATION: re.compile(
        r"^GeolocalisationEtablissement_Sirene_pour_etudes_statistiques(_utf8)?\.(csv|zip)$",
        re.IGNORECASE,
    ),
}
#: How a person knows each file (its official name), in messages and rejections.
FILE_LABELS = {
    ETABLISSEMENTS: "StockEtablissement",
    UNITES_LEGALES: "StockUniteLegale",
    GEOLOCALISATION: "GeolocalisationEtablissement",
}

#: SIRENE street types (typeVoieEtablissement) written out, as the BAN writes them.
STREET_TYPES = {
    "ALL": "ALLEE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "CHE": "CHEMIN",
    "CHS": "CHAUSSEE",
    "CRS": "COURS",
    "IMP": "IMPASSE",
    "PAS": "PASSAGE",
    "PL": "PLACE",
    "QUA": "QUAI",
    "QUAI": "QUAI",
    "R": "RUE",
    "RTE": "ROUTE",
    "SQ": "SQUARE",
}

#: The columns read, by header name, in each file.
ETABLISSEMENT_COLUMNS = (
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "codeCommuneEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "complementAdresseEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "statutDiffusionEtablissement",
)
#: Never read: nomUniteLegale, prenom*UniteLegale, pseudonymeUniteLegale (people's names).
UNITE_LEGALE_COLUMNS = (
    "siren",
    "etatAdministratifUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "categorieJuridiqueUniteLegale",
    "denominationUniteLegale",
    "sigleUniteLegale",
    "identifiantAssociationUniteLegale",
    "nicSiegeUniteLegale",
)
GEOLOCALISATION_COLUMNS = ("siret", "x", "y", "qualite_xy", "epsg")
#: Kept in the raw record when the file has it (the QPV 2024 code of the point).
GEOLOCALISATION_OPTIONAL = ("plg_qp24",)


def qpv_code_read(raw: Mapping[str, str]) -> str:
    """The QPV 2024 code a geolocation row gives its point (`plg_qp24`), or "" when the
    file has no such column or says the point is in no QPV (importers.engine.mapping
    .clean_qpv_code). Pure."""
    return clean_qpv_code(raw.get("plg_qp24", ""))


@dataclass(frozen=True)
class SireneFiles:
    """Where the three files are: `members` maps each kind to a file, or to a member of
    the zip `archive`."""

    archive: Path | None
    members: dict[str, str]

    @contextmanager
    def open(self, kind: str) -> Iterator[TextIO]:
        """The file of `kind` as a UTF-8 text stream, never read whole, within the limits
        of importers.io.bounded (control bytes dropped). Raises ImportFailed."""
        name = self.members[kind]
        if self.archive is not None:
            opened = open_binary(self.archive, member=lambda _archive: name, strip_controls=True)
        elif name.lower().endswith(".zip"):
            opened = open_binary(Path(name), member=_only_csv, strip_controls=True)
        else:
            opened = open_binary(Path(name), strip_controls=True)
        with opened as binary:
            yield io.TextIOWrapper(binary, encoding="utf-8", newline="")


def sirene_files(path: Path) -> SireneFiles:
    """Find the three files in the folder or zip `path`. Raises ImportFailed."""
    if not path.exists():
        raise ImportFailed(_("Fichier SIRENE introuvable : %(path)s.") % {"path": path})
    try:
        if path.is_dir():
            names = {entry.name: str(entry) for entry in path.iterdir() if entry.is_file()}
            return SireneFiles(archive=None, members=_match(names, path))
        # A .zip that is none (a cut download) says so, rather than "give a zip".
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = {Path(n).name: n for n in archive.namelist() if n.lower().endswith(".csv")}
            return SireneFiles(archive=path, members=_match(names, path))
    except (OSError, zipfile.BadZipFile) as error:
        raise ImportFailed(
            _("Fichier SIRENE illisible %(path)s : %(error)s")
            % {"path": path, "error": describe(error)}
        ) from error
    raise ImportFailed(
        _(
            "SIRENE a besoin de trois fichiers (StockEtablissement, StockUniteLegale, "
            "GeolocalisationEtablissement) : donnez un dossier ou un zip qui les contient, "
            "pas %(path)s."
        )
        % {"path": path.name}
    )


def _match(names: dict[str, str], path: Path) -> dict[str, str]:
    members, missing = {}, []
    for kind, pattern in FILE_NAMES.items():
        found = sorted(full for name, full in names.items() if pattern.match(name))
        if found:
            members[kind] = found[0]
        else:
            missing.append(pattern.pattern.strip("^$").replace("\\", ""))
    if missing:
        raise ImportFailed(
            _("Fichiers SIRENE manquants dans %(path)s : %(missing)s.")
            % {"path": path.name, "missing": ", ".join(missing)}
        )
    return members


def _only_csv(archive: zipfile.ZipFile) -> str:
    names = [name for name in archive.namelist() if name.lower().endswith(".csv")]
    if len(names) != 1:
        raise ImportFailed(
            _("Le zip %(name)s doit contenir un seul fichier CSV.") % {"name": archive.filename}
        )
    return names[0]


def stream_rows(
    stream: TextIO, *, name: str, columns: tuple[str, ...], delimiter: str, optional=()
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, values of `columns` then of the `optional` ones) for each data row.

    Columns are found by header name; an optional column missing from the header reads
    "". Raises ImportFailed when the header lacks a column (an HTML page, a renamed
    column, an empty file) or a row's width differs from the header's (a truncated file).
    """
    csv_limit()
    label = FILE_LABELS.get(name, name)
    try:
        reader = csv.reader(csv_lines(stream, label), delimiter=delimiter, strict=True)
        header = [cell.strip().lstrip("\ufeff") for cell in next(reader, [])]
        if not any(header):
            raise ImportFailed(_("%(name)s est vide.") % {"name": label})
        header_check_unique(header, label)
        missing = [column for column in columns if column not in header]
        if missing:
            raise ImportFailed(
                _("En-tête inattendu dans %(name)s : colonnes manquantes %(missing)s.")
                % {"name": label, "missing": ", ".join(missing)}
            )
        yield from _values(reader, header, columns, optional, label)
    except (csv.Error, UnicodeDecodeError, zlib.error, EOFError, zipfile.BadZipFile) as error:
        raise ImportFailed(
            _("Fichier CSV mal formé %(name)s : %(error)s")
            % {"name": label, "error": describe(error)}
        ) from error


def _values(
    reader, header: list[str], columns: tuple, optional: tuple, label: str
) -> Iterator[tuple]:
    width = len(header)
    positions = [header.index(column) for column in columns]
    positions += [header.index(column) if column in header else width for column in optional]
    # One C call per row picks the cells: this loop runs for every line of national files.
    pick = operator.itemgetter(*positions)
    last = settings.CARTESS_IMPORT_MAX_ROWS + 1
    for number, cells in enumerate(reader, start=2):
        if number > last:
            rows_check(number - 1, label)
        if len(cells) != width:
            if not cells:
                continue
            raise ImportFailed(
                _("Ligne %(number)s : %(count)s cellules au lieu de %(width)s (fichier tronqué ?).")
                % {"number": number, "count": len(cells), "width": width}
            )
        cells.append("")
        yield number, pick(cells)
