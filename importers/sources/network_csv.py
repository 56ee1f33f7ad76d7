"""`network-csv`: the members of an ESS network, from the CSV template Cartess documents.

The template is importers/data/network-csv-template.csv, documented in
importers/data/network-csv-template.md. One row per member: the network (`reseau`: its
Cartess slug or its SIRET; the network must already be listed), the member's name and
identifiers, address, contacts, kinds and sectors (taxonomy slugs separated by "|").
The file may be UTF-8 (with or without BOM) or Latin-1 (Windows-1252), comma- or
semicolon-separated: both are detected. Each row creates or updates the member (the same
SIRET or RNA id is the same organisation whatever the source, and a person's edit wins as
for every source) and records its NetworkMembership. A member's email must be a generic
mailbox of the structure: a person's address is dropped (importers.sources.data_inclusion).

Only what a row says changes: a column absent from the file (a key absent from an API row)
or an empty cell leaves the member's value as it is (`Mapped.unknown`), and so does a value
the mapper drops (a person's e-mail, a mobile, an invalid website: a warning says so). A
cell holding the marker CLEAR ("(effacer)") empties the field; an API row names the columns
to empty in its `clear` list (`raw_rows` writes the marker in them). The template's example
row is refused: it is not a member.

Scope: a network's own upload (its editors' file, its API token) runs limited to that
network (`source_import(..., scope=network)`): it creates listings and updates its own
members. A row naming another network is rejected; a row matching (SIRET, RNA, SIREN, a
known identity) a listing that is not this network's member, whether it belongs to no
network or to others, is rejected too, and changes nothing of it: the network's membership
request is recorded instead (directory.contributions.membership_requests), for the
listing's owner or a moderator to accept (the rules: directory.access). The mapper stays
pure: the row's network is text until the scope check and the loader read it.

Position: a row that gives an address but no coordinates is placed by the BAN, in bulk
(importers.engine.geocode, as every importer does: score >= CARTESS_BAN_MIN_SCORE, the
street at least, in the territory). The network's geocoding is optional: a BAN that fails
leaves those rows imported without a point, each with a warning the preview and the report
show, and the next sending places them.

Territory: a member whose commune the row gives and that lies outside the territory is
counted out of it (`locate`): by its INSEE code; else by its postcode when that is in
another département than every commune of the territory; else by its commune's name, once
the `communes` source has loaded the names. A row that says nothing usable of its place is
kept.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import access
from directory.models import (
    EssStatus,
    EssStatusSource,
    GeocodingQuality,
    Organisation,
)
from directory.records import OrganisationData
from directory.services import network_membership_add
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.errors import ImportFailed, RowRejected, describe
from importers.engine.geocode import geocoded_location, geocoding_failed
from importers.engine.loaders import Loader, OrganisationLoader
from importers.engine.mapping import (
    clean_insee_code,
    clean_postcode,
    clean_siret,
    clean_website,
    point_from_lon_lat,
    required_text,
    split_terms,
    text,
)
from importers.engine.territory import territory_current
from importers.io.bounded import bytes_decode, csv_limit, csv_lines, open_binary, rows_check
from importers.io.geocoding import AddressQuery
from importers.io.readers import header_check_unique
from importers.sources.data_inclusion import landline, structure_email
from importers.sources.network_matching import check_member, likely_member
from importers.sources.network_rows import (
    CLEAR,
    OPTIONAL,
    REQUIRED,
    SAME_AS_NEW,
    TEMPLATE,
    row_cells,
    row_check_not_example,
    row_dropped,
    row_said,
    row_unknown,
)

__all__ = ["CLEAR", "OPTIONAL", "REQUIRED", "TEMPLATE", "NetworkCsvSource", "map_member"]

KINDS = frozenset(
    {
        "accompagnement",
        "financeur",
        "tiers-lieu",
        "reseau",
        "entreprise-ess",
        "siae",
        "collectivite",
    }
)
SECTORS = frozenset(
    {
        "alimentation-durable", "velo-mobilites", "soin-aide-personnes",
        "reemploi-economie-circulaire", "ecoconstruction", "textile", "culture", "iae",
        "finance-solidaire", "numerique", "education-jeunesse", "sport-loisirs",
        "habitat-logement", "environnement",
    }
)  # fmt: skip
_RNA = re.compile(r"^W\d[0-9A-Z]\d{7}$")
#: "Lille Cedex", "LILLE CEDEX 1": a postal name of the commune.
_CEDEX = re.compile(r"\s+cedex\b.*$", re.IGNORECASE)
#: The warning of a row the BAN should have placed but could not be asked.
UNPLACED = gettext_lazy(
    "position : le géocodeur (BAN) n'a pas répondu, la fiche est importée sans position sur "
    "la carte (un nouvel envoi la placera)"
)
#: A network's member file is a few thousand rows at most: it is read whole, then parsed.
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class MemberData:
    """A member organisation and the network (slug or SIRET) it belongs to; `scope` is the
    network the run is limited to (None: any) and `dry_run` whether the run is a preview,
    both set by the loader's `resolve`."""

    organisation: OrganisationData
    network: str
    since: date | None = None
    #: The editor's answer for a row without SIRET or RNA: a listing's number, SAME_AS_NEW,
    #: or "" (no answer: a likely listing holds the row, `_likely_member`).
    same_as: str = ""
    scope: Organisation | None = None
    dry_run: bool = False


class NetworkCsvSource(ImportSource):
    slug = "network-csv"
    #: 2: an absent or empty cell changes nothing; CLEAR empties a field. 3: an address
    #: without coordinates is placed by the BAN.
    mapping_version = 3
    geocodes = True
    geocoding_optional = True
    info = SourceInfo(
        name="Membres déclarés par les réseaux de l'ESS (modèle CSV Cartess)",
        publisher="Réseaux de l'ESS (APES, CRESS, URSCOP...)",
        licence="Données transmises par les réseaux pour publication dans Cartess",
        licence_url="",
        url="",
        attribution_field="reseau",
        description="Fichier CSV des adhérents d'un réseau, au modèle documenté par Cartess.",
    )

    def __init__(self) -> None:
        self._knows_city_names: bool | None = None

    def loaders(self) -> dict[type, Loader]:
        return {MemberData: MemberLoader()}

    def read(self, path: Path) -> Iterator[RawRow]:
        """The rows of a member file (encoding and separator detected). Raises ImportFailed."""
        stream = io.StringIO(_decoded(Path(path)), newline="")
        csv_limit()
        try:
            dialect = _dialect(stream.getvalue())
            lines = csv_lines(stream, Path(path).name)
            reader = csv.DictReader(lines, dialect=dialect, strict=True)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            header_check_unique(header, Path(path).name)
            _check_columns(header, Path(path))
            reader.fieldnames = header
            for number, record in enumerate(reader, start=2):
                rows_check(number - 1, Path(path).name)
                if None in record or None in record.values():
                    raise ImportFailed(
                        _("Ligne %(number)s : nombre de cellules inattendu.") % {"number": number}
                    )
                yield RawRow(number=number, data=row_cells(record))
        except csv.Error as error:
            raise ImportFailed(
                _("Fichier CSV mal formé %(path)s : %(error)s")
                % {"path": Path(path).name, "error": describe(error)}
            ) from error

    def external_id(self, row: RawRow) -> str:
        network, name = text(row.data, "reseau"), text(row.data, "nom")
        key = text(row.data, "siret") or text(row.data, "rna").upper() or slugify(name)
        return f"{slugify(network) or network}:{key}" if network and key else ""

    def locate(self, row: RawRow) -> Whereabouts | None:
        """The member's commune as the row gives it (see the module's docstring); None when
        the row says nothing the territory test can use."""
        insee = clean_insee_code(text(row.data, "code_insee"))
        if insee:
            return Whereabouts(insee_code=insee)
        postcode = clean_postcode(text(row.data, "code_postal"))
        if postcode and _department(postcode) not in _territory_departments():
            return Whereabouts()  # a known place, in no commune of the territory
        city = _CEDEX.sub("", text(row.data, "commune"))
        return Whereabouts(city=city) if city and self._city_names_known() else None

    def _city_names_known(self) -> bool:
        """Whether the territory can test a commune's name (the communes are loaded)."""
        if self._knows_city_names is None:
            self._knows_city_names = bool(territory_current().city_names)
        return self._knows_city_names

    def map(self, row: RawRow) -> Mapped:
        """The member of `row` (map_member). Pure."""
        return map_member(row.data)

    def address_query(self, row: RawRow) -> AddressQuery | None:
        """The address of a row that gives one but no coordinates, in the territory (or
        whose commune it does not say: the BAN's answer is then checked against it)."""
        try:
            row_check_not_example(row.data)
            values, _silent = row_said(row.data)
        except RowRejected:
            return None  # `map` rejects the row: nothing to ask
        address = values["adresse"]
        if not address or values["longitude"] or values["latitude"]:
            return None
        if self.locate(row) == Whereabouts():
            return None  # a postcode of another département
        citycode = clean_insee_code(values["code_insee"])
        if citycode and citycode not in settings.CARTESS_TERRITORY_INSEE_CODES:
            return None
        postcode = clean_postcode(values["code_postal"])
        if not (citycode or postcode) and values["commune"]:
            address = f"{address} {_CEDEX.sub('', values['commune'])}"
        return AddressQuery(key="", address=address, postcode=postcode, citycode=citycode)

    def check_scope(self, mapped: Mapped, scope: Organisation) -> None:
        """A run limited to the network `scope`: raise RowRejected when the row names another
        network, ValidationError when it names no known network."""
        network = network_get(mapped.data.network)
        if not access.network_row_allowed(network=scope, named=network):
            raise RowRejected(
                _(
                    "Ligne d'un autre réseau (%(other)s) : ce fichier ne peut concerner que "
                    "%(mine)s."
                )
                % {"other": network.name, "mine": scope.name}
            )


def raw_rows(records: Iterable[Mapping[str, Any]]) -> Iterator[RawRow]:
    """Rows of the template given as dicts (the network API's JSON, keyed by the template's
    columns) -> the raw rows `NetworkCsvSource.read` gives for the same file, cleaned the
    same way; numbered by their position, from 1. A record's `clear` list names columns to
    empty: they hold CLEAR, as in a file. Pure."""
    for number, record in enumerate(records, start=1):
        cells = {name: value for name, value in record.items() if name != "clear"}
        cells |= dict.fromkeys(record.get("clear") or (), CLEAR)
        yield RawRow(number=number, data=row_cells(cells))


def map_member(raw: dict) -> Mapped:
    """A template row -> MemberData, with the fields the row says nothing about. Pure.

    A column absent from `raw` or empty, or a value dropped (see the module's docstring),
    makes its fields unknown; CLEAR makes them empty.
    Raises RowRejected when the row is the template's example, the network or name is
    missing, a kind or sector is not a Cartess slug, the SIRET, RNA id or date is invalid,
    the coordinates are unusable, or CLEAR stands in a column it cannot empty.
    """
    row_check_not_example(raw)
    values, silent = row_said(raw)
    warnings: list[str] = []
    organisation = _organisation(values)
    dropped = row_dropped(raw, organisation, warnings)
    organisation, placed = _placed(raw, values, organisation, warnings)
    unknown = row_unknown(columns=(silent - placed) | dropped)
    member = MemberData(
        organisation,
        values["reseau"],
        _date(text(values, "adherent_depuis")),
        same_as=_same_as(values["meme_que"]),
    )
    return Mapped(
        member,
        warnings=tuple(warnings),
        unknown=unknown,
    )


def _placed(
    raw: dict, values: dict[str, str], organisation: OrganisationData, warnings: list[str]
) -> tuple[OrganisationData, set[str]]:
    """`organisation` with the BAN's point when the row gave an address and no coordinates
    (importers.engine.geocode), and the columns that point says; a warning when the BAN
    could not be asked. Pure."""
    if organisation.location is not None or not values["adresse"]:
        return organisation, set()
    point, quality, score = geocoded_location(raw)
    if point is not None:
        located = replace(
            organisation, location=point, geocoding_quality=quality, geocoding_score=score
        )
        return located, {"latitude", "longitude"}
    if geocoding_failed(raw):
        warnings.append(str(UNPLACED))
    return organisation, set()


def _same_as(value: str) -> str:
    value = value.strip().lower().lstrip("#")
    if value and not value.isdigit() and value != SAME_AS_NEW:
        raise RowRejected(
            _("meme_que : le numéro d'une fiche Cartess ou « %(new)s » attendu, pas %(value)r.")
            % {"new": SAME_AS_NEW, "value": value}
        )
    return value


def _organisation(values: dict[str, str]) -> OrganisationData:
    """The member of a row whose cells are `values` (CLEAR read as ""); a value the helpers
    drop is left empty (`row_dropped` says why). Pure."""
    unsaid: list[str] = []  # the helpers' notes: row_dropped words them per column
    siret = clean_siret(values["siret"]) if values["siret"] else ""
    point = point_from_lon_lat(values["longitude"], values["latitude"])
    return OrganisationData(
        name=required_text(values, "nom", _("Nom du membre"))[:255],
        kinds=_terms(values["types"], KINDS, _("type")),
        sectors=_terms(values["filieres"], SECTORS, _("filière")),
        description=values["description"],
        ess_status=EssStatus.ESS,
        ess_status_source=EssStatusSource.NETWORK,
        siren=siret[:9],
        siret=siret,
        rna_id=_rna(values["rna"]),
        street=values["adresse"][:255],
        address_complement=values["complement_adresse"][:255],
        postcode=clean_postcode(values["code_postal"]),
        city=values["commune"][:120],
        insee_code=clean_insee_code(values["code_insee"]),
        location=point,
        geocoding_quality=GeocodingQuality.SOURCE if point else "",
        website=clean_website(values["site_web"]),
        email=structure_email(values["courriel"], unsaid),
        phone=landline(values["telephone"], unsaid),
    )


def network_get(key: str) -> Organisation:
    """The network named by its slug or SIRET. Raises ValidationError (row rejected)."""
    network = Organisation.objects.filter(siret=key).first() if key.isdigit() else None
    network = network or Organisation.objects.filter(slug=key).first()
    if network is None:
        raise ValidationError(
            _("Réseau inconnu : %(key)s (créez d'abord sa fiche dans Cartess).") % {"key": key}
        )
    return network


class MemberLoader(OrganisationLoader):
    """Loads the member like any organisation, and records its membership when the member
    is created or first matched (a membership a person removed later is not re-added
    while the row stays unchanged). Within a network's own run, a match that is not the
    network's member is refused and becomes a membership request (`check_member`)."""

    def resolve(self, mapped: Mapped, context: Any) -> MemberData:
        data: MemberData = mapped.data
        organisation = super().resolve(Mapped(data.organisation), context)
        return replace(
            data, organisation=organisation, scope=context.scope, dry_run=context.run.dry_run
        )

    def match(self, data: MemberData, context: Any, external_id: str) -> Organisation | None:
        network = network_get(data.network)
        member = super().match(data.organisation, context, external_id) or likely_member(data)
        if member is not None:
            check_member(data, member)
            network_membership_add(network=network, member=member, since=data.since)
        return member

    def create(self, data: MemberData) -> Organisation:
        network = network_get(data.network)
        member = super().create(data.organisation)
        network_membership_add(network=network, member=member, since=data.since)
        return member

    def update(self, instance: Organisation, data: MemberData, write: dict) -> None:
        check_member(data, instance)
        super().update(instance, data.organisation, write)

    def snapshot_data(self, data: MemberData) -> dict[str, Any]:
        return super().snapshot_data(data.organisation)


def _terms(value: str, allowed: frozenset[str], label: str) -> tuple[str, ...]:
    terms = [term.lower() for term in split_terms(value, "|")]
    unknown = sorted(set(terms) - allowed)
    if unknown:
        raise RowRejected(
            _("%(label)s inconnu : %(terms)s (valeurs possibles : %(allowed)s).")
            % {"label": label, "terms": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )
    return tuple(sorted(set(terms)))


def _rna(value: str) -> str:
    value = value.strip().upper()
    if value and not _RNA.match(value):
        raise RowRejected(_("Identifiant RNA invalide : %(value)r.") % {"value": value})
    return value


def _date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowRejected(
            _("Date d'adhésion illisible (AAAA-MM-JJ attendu) : %(value)r.") % {"value": value}
        ) from None


def _department(code: str) -> str:
    """The département of a postcode or an INSEE code: "59000" -> "59", "97411" -> "974",
    "2A004" and "20000" -> "20" (Corsica's postcodes keep the old number)."""
    if code.startswith("97"):
        return code[:3]
    return "20" if code[:2] in {"2A", "2B"} else code[:2]


def _territory_departments() -> frozenset[str]:
    return frozenset(_department(code) for code in settings.CARTESS_TERRITORY_INSEE_CODES)


def _decoded(path: Path) -> str:
    """The file's text (importers.io.bounded: the encodings every source reads; a mixed
    file keeps its non-UTF-8 rows escaped, and the engine rejects them)."""
    with open_binary(path) as stream:
        content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ImportFailed(_("Fichier trop gros pour un fichier d'adhérents (20 Mo au plus)."))
    if not content.strip():
        raise ImportFailed(_("%(path)s est vide.") % {"path": path.name})
    return bytes_decode(content, path.name)


def _dialect(content: str) -> type[csv.Dialect]:
    """Comma, semicolon (Excel in French) or tab (Excel's "Texte Unicode"), whichever the
    header line uses most."""
    header = content.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    return type("Template", (csv.excel,), {"delimiter": delimiter})


def _check_columns(header: list[str], path: Path) -> None:
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFailed(
            _("En-tête inattendu dans %(path)s : colonnes manquantes %(missing)s.")
            % {"path": path.name, "missing": ", ".join(missing)}
        )
