"""`data-inclusion`: structures of the data·inclusion schema v1 (CSV or JSON).

data·inclusion (GIP Plateforme de l'inclusion) gathers the structures of social and
professional inclusion from many producers (`source`: emplois-de-linclusion, dora,
france-travail...). Rows are kept when `code_insee` is in the territory. To keep only some
producers, e.g. the current SIAE of the emplois de l'inclusion, set the Django setting
`CARTESS_DATA_INCLUSION_SOURCES` (a list; environment variable of the same name, read by
config/settings/base.py): `CARTESS_DATA_INCLUSION_SOURCES=emplois-de-linclusion`. Rows of
other producers are set aside (counted in the run's report), not rejected.

A JSON record that lacks one of the REQUIRED fields is rejected with the field's name; a
field absent from every record (a renamed field, another file) fails the run.

Contacts: a structure's generic address is imported, a person's is not. An email is kept
only when its local part starts with a role word (contact, accueil, info, secretariat...,
see directory.contacts.GENERIC_MAILBOXES, the one rule of every path): "contact@",
"accueil.lille@" pass; "jeanne.dupont@", "jdupont@" are dropped (with a warning, never
stored). Mobile numbers (06, 07) are dropped for the same reason; landlines are kept.
The same SIRET is the same organisation whatever the source (importers.engine.loaders).

A structure without coordinates is placed at its address by the BAN, in bulk
(`geocodes`, importers.engine.geocode): only a match precise to the street or the house
number, scored at least CARTESS_BAN_MIN_SCORE, in the territory; otherwise it has no point.

The services of the structures kept (their support offers for creating and developing an
activity) are read after the structures: importers.sources.data_inclusion_services.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from directory.contacts import PERSONAL, UNREADABLE, public_email, public_phone
from directory.models import GeocodingQuality, Provenance
from directory.records import OrganisationData, SupportOfferData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.geocode import geocoded_location
from importers.engine.mapping import (
    clean_insee_code,
    clean_postcode,
    clean_siret,
    clean_website,
    point_from_lon_lat,
    required_text,
    text,
)
from importers.io.geocoding import AddressQuery
from importers.io.http import Fetcher
from importers.io.json_items import json_records, keys_check, objects_only
from importers.io.readers import csv_rows
from importers.sources.data_inclusion_services import (
    SERVICES,
    ServiceOfferLoader,
    map_service,
    service_ref,
    service_rows,
    service_set_aside,
    structure_ref,
    terms,
)

REQUIRED = ("source", "id", "nom", "code_insee")
OPTIONAL = (
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "reseaux_porteurs",
)
#: reseaux_porteurs (referentiel v1) -> Cartess organisation kinds. SIAE networks make an
#: SIAE; networks that lend or invest make a funder; business-creation and inclusion
#: support networks make a support organisation. Others add no kind.
SIAE_NETWORKS = frozenset({"aci", "ai", "ei", "eiti", "etti", "geiq", "ea", "eatt"})
NETWORK_KINDS = {
    "france-active": ("financeur", "accompagnement"),
    "initiative-france": ("financeur", "accompagnement"),
    "adie": ("financeur", "accompagnement"),
    "reseau-entreprendre": ("financeur", "accompagnement"),
    "reseau-bge": ("accompagnement",),
    "coorace": ("reseau",),
    "chantier-ecole": ("reseau",),
    "inae": ("reseau",),
    "unea": ("reseau",),
    "positive-planet": ("accompagnement",),
    "les-premieres": ("accompagnement",),
}
#: Local parts (first word) of a structure's mailbox, never a person's.


class DataInclusionSource(ImportSource):
    slug = "data-inclusion"
    info = SourceInfo(
        name="Structures de l'inclusion (data·inclusion)",
        publisher="GIP Plateforme de l'inclusion (data·inclusion)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://www.data.gouv.fr/fr/datasets/referentiel-de-loffre-dinsertion-liste-des-structures-et-services-dinsertion/",
        description="Structures de l'insertion sociale et professionnelle (schéma v1).",
    )
    default_url = "https://www.data.gouv.fr/fr/datasets/r/fd4cb3ef-5c31-4c99-92fe-2cd8016c0ca5"
    geocodes = True
    #: 2: services (data_inclusion_services) become support offers.
    mapping_version = 2

    def __init__(self) -> None:
        #: The INSEE code of each structure read in this run, by external id (services').
        self._communes: dict[str, str] = {}

    def loaders(self) -> dict[type, Any]:
        return {SupportOfferData: ServiceOfferLoader()}

    def read(self, path: Path) -> Iterator[RawRow]:
        """The structures, then their services (data_inclusion_services): a folder's
        structures and services files (.csv or .json); a services file alone; or a
        structures file, then the services of CARTESS_DATA_INCLUSION_SERVICES_URL when set.
        Raises ImportFailed when a file is unreadable, empty, lacks a required field, or
        when the services file cannot be downloaded (the run keeps nothing)."""
        path = Path(path)
        if path.is_dir():
            yield from self._structures(_one_of(path, "structures", required=True))
            services = _one_of(path, SERVICES, required=False)
            if services is not None:
                yield from service_rows(services)
            return
        if path.stem.startswith(SERVICES):
            yield from service_rows(path)
            return
        yield from self._structures(path)
        if settings.CARTESS_DATA_INCLUSION_SERVICES_URL:
            with Fetcher().download(settings.CARTESS_DATA_INCLUSION_SERVICES_URL) as file:
                yield from service_rows(file)

    def _structures(self, path: Path) -> Iterator[RawRow]:
        if path.suffix.lower() == ".json":
            rows = _json_rows(path)
        else:
            rows = csv_rows(path, columns=REQUIRED, optional=OPTIONAL)
            rows = (RawRow(number=row.number, data=_scrubbed(row.data)) for row in rows)
        for row in rows:
            self._communes[self.external_id(row)] = text(row.data, "code_insee")
            yield row

    def set_aside(self, row: RawRow) -> str:
        """Structures of producers left out by CARTESS_DATA_INCLUSION_SOURCES, when set;
        services outside creating and developing an activity (service_set_aside)."""
        if row.table == SERVICES:
            return service_set_aside(row.data)
        keep = sorted(settings.CARTESS_DATA_INCLUSION_SOURCES)
        if keep and text(row.data, "source") not in keep:
            return _("structures d'autres producteurs que %(producers)s") % {
                "producers": ", ".join(keep)
            }
        return ""

    def external_id(self, row: RawRow) -> str:
        if row.table == SERVICES:
            return service_ref(row.data)
        source, identifier = text(row.data, "source"), text(row.data, "id")
        return f"{source}:{identifier}" if source and identifier else ""

    def locate(self, row: RawRow) -> Whereabouts | None:
        """A structure by its INSEE code; a service by its structure's (read in this run,
        else the structure this source loaded before): a service of a structure Cartess
        does not keep is out of the territory."""
        if row.table == SERVICES:
            return Whereabouts(insee_code=self._structure_commune(structure_ref(row.data)))
        if "code_insee" not in row.data:
            return None  # a record without the field: `map` rejects it, whatever its place
        return Whereabouts(insee_code=clean_insee_code(text(row.data, "code_insee")))

    def _structure_commune(self, external_id: str) -> str:
        if external_id not in self._communes:
            provenance = Provenance.objects.filter(
                source__slug=self.slug, external_id=external_id
            ).first()
            organisation = provenance.record if provenance else None
            self._communes[external_id] = getattr(organisation, "insee_code", "") or ""
        return self._communes[external_id]

    def map(self, row: RawRow) -> Mapped:
        if row.table == SERVICES:
            return map_service(row.data)
        return map_structure(row.data)

    def address_query(self, row: RawRow) -> AddressQuery | None:
        """The address of a structure of the territory that gives no coordinates."""
        data = row.data
        if row.table == SERVICES:
            return None
        if text(data, "longitude") or text(data, "latitude") or self.set_aside(row):
            return None
        citycode = clean_insee_code(text(data, "code_insee"))
        address = text(data, "adresse")
        if not address or citycode not in settings.CARTESS_TERRITORY_INSEE_CODES:
            return None
        postcode = clean_postcode(text(data, "code_postal"))
        return AddressQuery(key="", address=address, postcode=postcode, citycode=citycode)


def map_structure(raw: dict) -> Mapped:
    """A data·inclusion structure -> OrganisationData. Pure.

    Raises RowRejected when a REQUIRED field is absent from the record, the name is
    missing or the coordinates are unreadable or outside France. A SIRET, website, email
    or phone that cannot be kept is dropped with a warning.
    """
    absent = [name for name in REQUIRED if name not in raw]
    if absent:
        raise RowRejected(
            _("Champs absents de l'enregistrement : %(fields)s.") % {"fields": ", ".join(absent)}
        )
    warnings: list[str] = []
    networks = terms(text(raw, "reseaux_porteurs"), name="reseaux_porteurs")
    kinds, sectors = _kinds(networks)
    point = point_from_lon_lat(text(raw, "longitude"), text(raw, "latitude"))
    quality, score = (GeocodingQuality.SOURCE, None) if point else ("", None)
    if point is None:
        point, quality, score = geocoded_location(raw)
    data = OrganisationData(
        name=required_text(raw, "nom", _("Nom"))[:255],
        kinds=kinds,
        sectors=sectors,
        description=text(raw, "description"),
        siret=_siret(text(raw, "siret"), warnings),
        street=text(raw, "adresse")[:255],
        address_complement=text(raw, "complement_adresse")[:255],
        postcode=clean_postcode(text(raw, "code_postal")),
        city=text(raw, "commune")[:120],
        insee_code=clean_insee_code(text(raw, "code_insee")),
        location=point,
        geocoding_quality=quality,
        geocoding_score=score,
        website=_website(text(raw, "site_web"), warnings),
        email=structure_email(text(raw, "courriel"), warnings),
        phone=landline(text(raw, "telephone"), warnings),
    )
    return Mapped(data, warnings=tuple(warnings))


def _siret(value: str, warnings: list[str]) -> str:
    if not value:
        return ""
    try:
        return clean_siret(value)
    except RowRejected:
        warnings.append(_("SIRET invalide ignoré : %(siret)s") % {"siret": value})
        return ""


def _website(value: str, warnings: list[str]) -> str:
    website = clean_website(value)
    if value and not website:
        warnings.append(_("site web invalide ignoré : %(web)s") % {"web": value})
    return website


def structure_email(value: str, warnings: list[str]) -> str:
    """`value` when it is a structure's mailbox (directory.contacts, the one rule), else "".

    Pure. A dropped address is not repeated in the warning: it may name a person.
    """
    email, why = public_email(value)
    if why == UNREADABLE:
        warnings.append(_("courriel illisible ignoré"))
    elif why == PERSONAL:
        warnings.append(_("courriel non générique (personnel ?) non importé"))
    return email


def landline(value: str, warnings: list[str]) -> str:
    """A French landline written 03 20 00 00 00, or "" (mobiles may be a person's: the
    rule of directory.contacts). Pure."""
    phone, why = public_phone(value)
    if why == UNREADABLE:
        warnings.append(_("téléphone illisible ignoré"))
    elif why == PERSONAL:
        warnings.append(_("numéro de mobile (personnel ?) non importé"))
    return phone


def _kinds(networks: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    kinds: set[str] = set()
    sectors: set[str] = set()
    for network in networks:
        if network in SIAE_NETWORKS:
            kinds.add("siae")
            sectors.add("iae")
        kinds.update(NETWORK_KINDS.get(network, ()))
    return tuple(sorted(kinds)), tuple(sorted(sectors))


def _json_rows(path: Path) -> Iterator[RawRow]:
    """The records of a JSON list; an element that is not an object is an empty record
    (rejected). Raises ImportFailed when a REQUIRED field is absent from every record."""
    records = json_records(
        path,
        key="items",
        check=lambda _records, items: keys_check(objects_only(items), REQUIRED, path.name),
    )
    if records.items is None:
        raise ImportFailed(_("%(path)s n'est pas une liste de structures.") % {"path": path.name})
    for number, record in enumerate(objects_only(records.items()), start=1):
        yield RawRow(number=number, data=_selected(record))


def _selected(record: dict) -> dict[str, str]:
    """The columns Cartess reads, as strings; lists (reseaux_porteurs) as JSON. A REQUIRED
    field the record lacks stays absent, so that `map_structure` names it."""
    data = {}
    for name in (*REQUIRED, *OPTIONAL):
        if name in REQUIRED and name not in record:
            continue
        value = record.get(name)
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        data[name] = "" if value is None else str(value).strip()
    return _scrubbed(data)


def _scrubbed(data: dict[str, str]) -> dict[str, str]:
    """`data` without a person's email or mobile number: what is dropped here never reaches
    the database, not even the provenance's raw record or a rejection."""
    notes: list[str] = []
    email, phone = structure_email(data["courriel"], notes), landline(data["telephone"], notes)
    if data["courriel"] and not email:
        data["courriel"] = ""
    if data["telephone"] and not phone:
        data["telephone"] = ""
    return data


def _one_of(folder: Path, stem: str, *, required: bool) -> Path | None:
    """`folder`'s `stem`.json or `stem`.csv; None when absent and not `required`.
    Raises ImportFailed when a required one is absent."""
    for suffix in (".json", ".csv"):
        if (folder / f"{stem}{suffix}").is_file():
            return folder / f"{stem}{suffix}"
    if required:
        raise ImportFailed(
            _("%(folder)s ne contient ni %(stem)s.csv ni %(stem)s.json.")
            % {"folder": folder.name, "stem": stem}
        )
    return None
