"""`siae`: structures d'insertion par l'activité économique, from the Marché de l'inclusion.

The file is the Marché de l'inclusion's Django fixture of model "siaes.siae" (real names,
SIRET, kinds and coordinates; see importers/data/SOURCES.md). Its phones and emails are
fake: `phone`, `email` and `contact_*` are dropped by the reader and never stored. The
rows carry a point but no INSEE code, so the territory test needs the commune outlines.
An SIAE is not an ESS structure by law: the ESS status stays unknown.
"""

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from directory.models import GeocodingQuality
from directory.records import OrganisationData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import RowRejected
from importers.engine.mapping import (
    clean_naf,
    clean_postcode,
    clean_siret,
    clean_website,
    point_from_ewkt,
    required_text,
    text,
)
from importers.io.readers import fixture_rows

DATA_FILE = (
    Path(__file__).resolve().parent.parent / "data/siae-marche-inclusion/01_siaes_lille.json"
)
MODEL = "siaes.siae"
#: Contacts in this fixture are generated, not real: they are never read.
DROPPED_FIELDS = ("phone", "email", "contact_*")
#: Fields every fixture of the Marché has: one absent from every record is a renamed field
#: or another file, which must fail the run rather than reject each row.
REQUIRED_FIELDS = ("name", "siret", "kind", "coords", "address", "post_code", "city")
#: Kinds of inclusive structures and how the strategy's public names them.
KIND_LABELS = {
    "ACI": "atelier et chantier d'insertion",
    "AI": "association intermédiaire",
    "EI": "entreprise d'insertion",
    "ETTI": "entreprise de travail temporaire d'insertion",
    "EITI": "entreprise d'insertion par le travail indépendant",
    "GEIQ": "groupement d'employeurs pour l'insertion et la qualification",
    "EA": "entreprise adaptée",
    "EATT": "entreprise adaptée de travail temporaire",
}
#: Legal forms the fixture writes that say nothing ("AUTRE") are not kept.
UNINFORMATIVE_LEGAL_FORMS = {"", "AUTRE"}


class SiaeSource(ImportSource):
    slug = "siae"
    mapping_version = 1
    info = SourceInfo(
        name="Structures d'insertion (Marché de l'inclusion)",
        publisher="GIP Plateforme de l'inclusion (données ASP)",
        licence="Non précisée (données publiques de l'ASP, Licence Ouverte 2.0)",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://github.com/gip-inclusion/le-marche",
        description="SIAE : ACI, AI, EI, ETTI, EITI, GEIQ, EA, avec SIRET et position.",
        dated="extrait du Marché de l'inclusion publié le 20 février 2025",
    )
    needs_boundaries = True

    def default_file(self) -> Path:
        return DATA_FILE

    def read(self, path: Path) -> Iterator[RawRow]:
        return fixture_rows(path, model=MODEL, drop=DROPPED_FIELDS, required=REQUIRED_FIELDS)

    def external_id(self, row: RawRow) -> str:
        return text(row.data, "pk")

    def locate(self, row: RawRow) -> Whereabouts:
        try:
            point = point_from_ewkt(text(row.data, "coords"))
        except RowRejected:
            point = None
        return Whereabouts(point=point, city=text(row.data, "city"))

    def map(self, row: RawRow) -> Mapped:
        return map_siae(row.data)


def map_siae(raw: dict) -> Mapped:
    """A fixture record -> OrganisationData of kind siae, sector iae. Pure.

    Raises RowRejected when the name is missing, the SIRET is invalid, or the point is
    unreadable, in another spatial reference than EPSG:4326, or outside France.
    """
    name = text(raw, "brand") or required_text(raw, "name", _("Nom"))
    siret = clean_siret(text(raw, "siret"))
    point = point_from_ewkt(text(raw, "coords"))
    warnings = []
    naf = clean_naf(text(raw, "naf"))
    if text(raw, "naf") and not naf:
        warnings.append(_("code NAF illisible ignoré : %(naf)s") % {"naf": text(raw, "naf")})
    legal_form = text(raw, "legal_form")
    data = OrganisationData(
        name=name,
        kinds=("siae",),
        description=_description(text(raw, "kind"), text(raw, "description")),
        legal_form="" if legal_form.upper() in UNINFORMATIVE_LEGAL_FORMS else legal_form,
        siren=siret[:9],
        siret=siret,
        naf_code=naf,
        sectors=("iae",),
        street=text(raw, "address"),
        postcode=clean_postcode(text(raw, "post_code")),
        city=text(raw, "city"),
        location=point,
        geocoding_quality=GeocodingQuality.SOURCE if point else "",
        website=clean_website(text(raw, "website")),
    )
    return Mapped(data, warnings=tuple(warnings))


def _description(kind: str, description: str) -> str:
    """Say which kind of inclusive structure it is, then the source's own description."""
    kind = kind.upper()
    label = KIND_LABELS.get(kind)
    if label:
        opening = _("Structure d'insertion : %(label)s (%(kind)s).") % {
            "label": label,
            "kind": kind,
        }
    elif kind:
        opening = _("Structure d'insertion de type %(kind)s.") % {"kind": kind}
    else:
        opening = _("Structure d'insertion.")
    return f"{opening}\n\n{description}" if description else opening
