"""`tiers-lieux`: the third places of the CGET (now ANCT) "Mission Coworking" inventory, 2019.

The bundled file holds the territory's rows of the national file; `--file` reads the
national file itself (1,512 places), filtered on the territory. Columns are selected by
name; CONTACT and MAIL (people's names and addresses) are never read.
"""

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from directory.models import GeocodingQuality
from directory.services import OrganisationData
from importers.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.errors import RowRejected
from importers.mapping import (
    clean_insee_code,
    clean_postcode,
    clean_website,
    point_from_lon_lat,
    required_text,
    text,
)
from importers.readers import csv_rows

DATA_FILE = (
    Path(__file__).resolve().parent.parent
    / "data/tiers-lieux-anct-2019/CGET_TiersLieux_2019_lille.csv"
)
COLUMNS = (
    "ID",
    "NOM_TL",
    "ADRESSE",
    "CP",
    "INSEECOM",
    "NOMCOM",
    "WEB",
    "TYPO",
    "LAT",
    "LONG",
    "GEOCOD",
    "PRECISION",
)
#: The inventory geocoded addresses itself; like a BAN answer (SOURCES.md), a point whose
#: score is below 0.5 is not trusted to stand on the map.
MIN_PRECISION = 0.5


class TiersLieuxSource(ImportSource):
    slug = "tiers-lieux"
    mapping_version = 1
    info = SourceInfo(
        name="Tiers-lieux (Mission Coworking, CGET 2019)",
        publisher="CGET, aujourd'hui Agence nationale de la cohésion des territoires (ANCT)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://github.com/anct-carto/mission_coworking",
        description="Inventaire national des tiers-lieux de 2019 : coworkings et fablabs.",
    )

    def default_file(self) -> Path:
        return DATA_FILE

    def read(self, path: Path) -> Iterator[RawRow]:
        return csv_rows(path, columns=COLUMNS)

    def external_id(self, row: RawRow) -> str:
        return text(row.data, "ID")

    def locate(self, row: RawRow) -> Whereabouts:
        try:
            point = point_from_lon_lat(text(row.data, "LONG"), text(row.data, "LAT"))
        except RowRejected:
            point = None
        return Whereabouts(point=point, insee_code=text(row.data, "INSEECOM"))

    def map(self, row: RawRow) -> Mapped:
        return map_tiers_lieu(row.data)


def map_tiers_lieu(raw: dict) -> Mapped:
    """An inventory row -> OrganisationData of kind tiers-lieu. Pure.

    Raises RowRejected when the name is missing or the coordinates are unreadable or
    outside France. A point geocoded too loosely (score < 0.5, or only to the commune)
    is left out: the place stays in the directory, off the map.
    """
    name = required_text(raw, "NOM_TL", _("Nom du tiers-lieu"))
    point = point_from_lon_lat(text(raw, "LONG"), text(raw, "LAT"))
    score = _score(text(raw, "PRECISION"))
    warnings = []
    if point is not None and not _precise_enough(score, text(raw, "GEOCOD")):
        point = None
        warnings.append(_("position trop imprécise, non retenue"))
    website = clean_website(text(raw, "WEB"))
    if text(raw, "WEB") and not website:
        warnings.append(_("site web invalide ignoré : %(web)s") % {"web": text(raw, "WEB")})
    data = OrganisationData(
        name=name,
        kinds=("tiers-lieu",),
        description=_description(text(raw, "TYPO")),
        street=text(raw, "ADRESSE"),
        postcode=clean_postcode(text(raw, "CP")),
        city=text(raw, "NOMCOM"),
        insee_code=clean_insee_code(text(raw, "INSEECOM")),
        location=point,
        geocoding_quality=GeocodingQuality.SOURCE if point else "",
        geocoding_score=score if point else None,
        website=website,
    )
    return Mapped(data, warnings=tuple(warnings))


def _score(value: str) -> float | None:
    try:
        score = float(value)
    except ValueError:
        return None
    return score if 0 <= score <= 1 else None


def _precise_enough(score: float | None, geocoded_label: str) -> bool:
    """Trusted when scored >= 0.5 and matched below the commune (its label has a postcode)."""
    has_postcode = any(word.isdigit() and len(word) == 5 for word in geocoded_label.split())
    return score is not None and score >= MIN_PRECISION and has_postcode


def _description(typology: str) -> str:
    if not typology:
        return _("Recensé dans l'inventaire national des tiers-lieux de 2019 (CGET).")
    return _("%(typology)s, d'après l'inventaire national des tiers-lieux de 2019 (CGET).") % {
        "typology": typology.replace("Tiers lieux", "Tiers-lieu")
    }
