"""`rna`: the associations of the territory, from the Répertoire national des associations.

Reads the "waldec" export of one département (`rna_waldec_YYYYMMDD_dpt_59.csv`, `;`
separated, quoted), or the monthly zip of all départements (the member of the
territory's département is read). `--url` downloads either. There is no bundled file:
give `--file` or `--url`.

The "import" export (`rna_import_*`: associations of the former register, not updated
since Waldec) is read too, told apart by its header: its address is three free lines
(`adr1` complement, `adr2` number and street, `adr3` locality or PO box) and `libcom`, which
become the waldec columns (`adrs_libvoie`, `adrs_complement`, `adrs_libcommune`); its
oldest rows carry a prefecture number in `id` and the RNA number (W...) in `observation`.

- Encoding: historical files are Latin-1, newer ones UTF-8, detected as for every source
  (`importers.io.bounded`: UTF-8, a mix of UTF-8 and Latin-1 rows whose Latin-1 rows are
  rejected, else Windows-1252, then Latin-1). The monthly zip is extracted within the
  reading limits.
- Only `position = A` (active) is imported. D (dissoute) and S (supprimée) rows are set
  aside (counted in the run's report); any other value is rejected, never taken as active.
- Rows are kept when `adrs_codeinsee` is in the territory (or, without a code, when the
  commune name is); their addresses are geocoded through the BAN in bulk, in batches,
  with the cache (`importers.io.geocoding`). The accepted match is added to the stored raw
  record under `_geocodage`, so a later run sees whether the point changed.
- `0001-01-01` in the date columns means "unknown". Phone numbers, emails and the
  manager's civility of old exports are never read.
- An association is ESS by statute (loi du 31 juillet 2014): legal family association,
  ESS status "ess" with source "statut".
"""

import logging
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from directory.models import EssStatus, EssStatusSource
from directory.records import OrganisationData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import BadPayload, ImportFailed, RowRejected, describe
from importers.engine.mapping import (
    clean_insee_code,
    clean_postcode,
    clean_website,
    required_text,
    siret_is_valid,
    text,
)
from importers.io.bounded import open_binary
from importers.io.geocoding import AddressQuery, BanGeocoder, Geocode
from importers.io.readers import csv_header, csv_rows, detect_encoding

logger = logging.getLogger(__name__)

COLUMNS = (
    "id",
    "siret",
    "titre",
    "objet",
    "adrs_complement",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "siteweb",
    "position",
    "date_creat",
    "date_disso",
)
#: Columns of the "import" export, turned into those of waldec by `_from_import`.
IMPORT_COLUMNS = (
    "id",
    "siret",
    "titre",
    "objet",
    "adr1",
    "adr2",
    "adr3",
    "adrs_codepostal",
    "libcom",
    "adrs_codeinsee",
    "siteweb",
    "observation",
    "position",
    "date_creat",
)
ACTIVE = "A"
#: Positions of associations that no longer exist: set aside, not rejected.
ENDED = {"D", "S"}
GEOCODE_KEY = "_geocodage"
_RNA = re.compile(r"^W\d[0-9A-Z]\d{7}$")
#: The waldec export's "no value" markers.
EMPTY_MARKERS = {"_", "0001-01-01"}


class RnaSource(ImportSource):
    slug = "rna"
    mapping_version = 1
    info = SourceInfo(
        name="Répertoire national des associations (RNA, waldec)",
        publisher="Ministère de l'Intérieur, DLPAJ",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://www.data.gouv.fr/fr/datasets/repertoire-national-des-associations/",
        description="Associations actives déclarées en préfecture, géocodées avec la BAN.",
    )

    def read(self, path: Path) -> Iterator[RawRow]:
        with tempfile.TemporaryDirectory(prefix="cartess-rna-") as folder:
            csv_path = _extract(path, Path(folder)) if zipfile.is_zipfile(path) else path
            encoding = detect_encoding(csv_path)
            logger.info("RNA file %s read as %s", csv_path.name, encoding)
            yield from _geocoded(_rows(csv_path, encoding), BanGeocoder())

    def external_id(self, row: RawRow) -> str:
        return text(row.data, "id").upper()

    def set_aside(self, row: RawRow) -> str:
        if text(row.data, "position") in ENDED:
            return _("associations dissoutes ou supprimées (position D, S)")
        return ""

    def locate(self, row: RawRow) -> Whereabouts:
        geocode = row.data.get(GEOCODE_KEY) or {}
        point = Point(geocode["lon"], geocode["lat"], srid=4326) if geocode else None
        return Whereabouts(
            point=point,
            insee_code=clean_insee_code(text(row.data, "adrs_codeinsee")),
            city=text(row.data, "adrs_libcommune"),
        )

    def map(self, row: RawRow) -> Mapped:
        return map_association(row.data)


def map_association(raw: dict) -> Mapped:
    """A waldec row (with its `_geocodage`, if any) -> OrganisationData. Pure.

    Raises RowRejected for an invalid RNA id, a missing title, or a position other than A.
    """
    rna_id = text(raw, "id").upper()
    if not _RNA.match(rna_id):
        raise RowRejected(_("Identifiant RNA invalide : %(id)r.") % {"id": rna_id})
    position = text(raw, "position")
    if position != ACTIVE:
        raise RowRejected(
            _(
                "Position %(position)r inconnue : seules les associations actives (A) sont "
                "importées."
            )
            % {"position": position}
        )
    name = required_text(raw, "titre", _("Titre"))
    warnings = []
    siret = re.sub(r"\s", "", _value(raw, "siret"))
    if siret and not siret_is_valid(siret):
        warnings.append(_("SIRET invalide ignoré : %(siret)s") % {"siret": siret})
        siret = ""
    website = clean_website(_value(raw, "siteweb"))
    if _value(raw, "siteweb") and not website:
        warnings.append(_("site web invalide ignoré"))
    geocode = raw.get(GEOCODE_KEY) or {}
    data = OrganisationData(
        name=name[:255],
        kinds=("entreprise-ess",),
        description=_value(raw, "objet"),
        legal_family="association",
        ess_status=EssStatus.ESS,
        ess_status_source=EssStatusSource.STATUTE,
        siren=siret[:9],
        siret=siret,
        rna_id=rna_id,
        street=street(raw)[:255],
        address_complement=_value(raw, "adrs_complement")[:255],
        postcode=clean_postcode(_value(raw, "adrs_codepostal")),
        city=_value(raw, "adrs_libcommune")[:120],
        insee_code=clean_insee_code(_value(raw, "adrs_codeinsee")),
        location=Point(geocode["lon"], geocode["lat"], srid=4326) if geocode else None,
        geocoding_quality=geocode.get("quality", ""),
        geocoding_score=geocode.get("score"),
        website=website,
    )
    return Mapped(data, warnings=tuple(warnings))


def street(raw: dict) -> str:
    """ "12 bis RUE Nationale" from the number, repetition, street type and name."""
    parts = ("adrs_numvoie", "adrs_repetition", "adrs_typevoie", "adrs_libvoie")
    return " ".join(value for key in parts if (value := _value(raw, key)))


def _value(raw: dict, key: str) -> str:
    value = text(raw, key)
    return "" if value in EMPTY_MARKERS else value


def _rows(path: Path, encoding: str) -> Iterator[RawRow]:
    """The rows of a waldec file, or of an import file in waldec's columns."""
    header = set(csv_header(path, delimiter=";", encoding=encoding))
    if "adrs_libvoie" in header or not {"adr2", "libcom"} <= header:
        return csv_rows(path, columns=COLUMNS, delimiter=";", encoding=encoding)
    logger.info("RNA file %s is an import (pre-Waldec) export", path.name)
    rows = csv_rows(path, columns=IMPORT_COLUMNS, delimiter=";", encoding=encoding)
    return (RawRow(number=row.number, data=_from_import(row.data)) for row in rows)


def _from_import(raw: dict) -> dict:
    """An import row in the columns of waldec (see the module docstring). Pure."""
    identifier = raw["id"]
    if not _RNA.match(identifier.upper()) and _RNA.match(raw["observation"].upper()):
        identifier = raw["observation"]
    lines = [" ".join(_value(raw, key).split()) for key in ("adr1", "adr2", "adr3")]
    return dict.fromkeys(COLUMNS, "") | {
        "id": identifier,
        "siret": raw["siret"],
        "titre": raw["titre"],
        "objet": raw["objet"],
        "adrs_complement": ", ".join(line for line in (lines[0], lines[2]) if line),
        "adrs_libvoie": lines[1],
        "adrs_codeinsee": raw["adrs_codeinsee"],
        "adrs_codepostal": raw["adrs_codepostal"],
        "adrs_libcommune": raw["libcom"],
        "siteweb": raw["siteweb"],
        "position": raw["position"],
        "date_creat": raw["date_creat"],
    }


def _geocoded(rows: Iterator[RawRow], geocoder: BanGeocoder) -> Iterator[RawRow]:
    """The rows, those of the territory with their BAN geocode, batch after batch."""
    territory = set(settings.CARTESS_TERRITORY_INSEE_CODES)
    batch: list[RawRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= geocoder.batch_size:
            yield from _geocode_batch(batch, geocoder, territory)
            batch = []
    yield from _geocode_batch(batch, geocoder, territory)


def _geocode_batch(
    batch: list[RawRow], geocoder: BanGeocoder, territory: set[str]
) -> Iterator[RawRow]:
    queries = [
        AddressQuery(
            key=str(row.number),
            address=street(row.data),
            postcode=_value(row.data, "adrs_codepostal"),
            citycode=text(row.data, "adrs_codeinsee"),
        )
        for row in batch
        if text(row.data, "adrs_codeinsee") in territory and text(row.data, "position") == ACTIVE
    ]
    found = geocoder.search_many(queries) if queries else {}
    for row in batch:
        geocode = found.get(str(row.number))
        if geocode is not None:
            row.data[GEOCODE_KEY] = _geocode_value(geocode)
        yield row


def _geocode_value(geocode: Geocode) -> dict:
    return {
        "lon": geocode.point.x,
        "lat": geocode.point.y,
        "quality": geocode.quality,
        "score": geocode.score,
        "label": geocode.label,
    }


def _extract(path: Path, folder: Path) -> Path:
    """Copy the zip member of the territory's département to `folder` (streaming).

    Raises ImportFailed when the zip holds no such CSV.
    """
    departments = {code[:2] for code in settings.CARTESS_TERRITORY_INSEE_CODES}
    try:
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name.lower().endswith(".csv")]
            wanted = [name for name in names if _department(name) in departments]
            member = wanted[0] if wanted else (names[0] if len(names) == 1 else None)
            if member is None:
                raise ImportFailed(
                    _("%(path)s ne contient pas le fichier du département %(dpt)s.")
                    % {"path": path.name, "dpt": ", ".join(sorted(departments))}
                )
            target = folder / Path(member).name
        # Through the bounded reader: a zip bomb stops at the limits, on disk as in memory.
        with open_binary(path, member=lambda _archive: member) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as error:
        raise BadPayload(
            _("Archive illisible %(path)s : %(error)s.")
            % {"path": path.name, "error": describe(error)}
        ) from error
    return target


def _department(name: str) -> str:
    """The département of a waldec file name ("..._dpt_59.csv" -> "59"), or ""."""
    match = re.search(r"dpt_([0-9AB]{2,3})\.csv$", name, re.IGNORECASE)
    return match[1] if match else ""
