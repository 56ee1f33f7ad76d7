"""`sirene`: the ESS établissements of the territory, from INSEE's SIRENE stock files.

Three files, found by their official names in a folder or in one zip (each may itself be
zipped, as data.gouv.fr serves them):

- `StockEtablissement_utf8.csv` (comma, UTF-8): kept when `codeCommuneEtablissement` is
  in the territory and `etatAdministratifEtablissement = A`; read first, so that only the
  SIREN of these few établissements are remembered;
- `StockUniteLegale_utf8.csv` (comma, UTF-8): kept when `economieSocialeSolidaireUniteLegale
  = O`, `etatAdministratifUniteLegale = A` and the SIREN has a kept établissement;
- `GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv` (semicolon):
  x, y in the row's own CRS (`epsg`); `qualite_xy = 33` (a random point in the commune) is
  dropped; only the CRS of ACCEPTED_SRIDS are read (the input never chooses another one),
  reprojected to EPSG:4326 by PostGIS; a WGS84 point must fall in France
  (importers.engine.mapping.in_france). A refused point leaves its établissement listed without
  one, with a warning.

Files are streamed (csv over a text stream, zip members as streams), columns are selected
by header name and every code stays a string (importers.sources.sirene_files). A person's
name is never stored: for an entrepreneur individuel (catégorie juridique 1000) the unité
légale's denomination and sigle are dropped before anything is written, and the
établissement's enseigne or denomination usuelle names it; without one the row is rejected.
One établissement becomes one organisation (external id: its SIRET), loaded by the bulk
path (importers.engine.bulk).

The unit of the source is the établissement: the run reads the lines of StockEtablissement
(`rows_read`), and each ends up once as created, updated, unchanged, rejected, out of the
territory or set aside (closed; of a unité légale that is not an active ESS one). The
other two files only complete them: their problems are warnings, never rejections.
"""

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from importers.engine.base import (
    BulkResult,
    ImportSource,
    RawRow,
    SourceInfo,
    mapping_version_of,
)
from importers.engine.bulk import organisations_merge, session_prepare
from importers.engine.dating import LatestDay, french_day
from importers.engine.doubles import FileIdentifiers
from importers.engine.errors import RowRejected
from importers.engine.legal_forms import legal_family_for
from importers.engine.mapping import clean_naf, clean_postcode, finite_number, in_france
from importers.engine.progress import ProgressMeter
from importers.engine.sql import copy_rows, execute
from importers.engine.sql import sirene as sql
from importers.sources.register_completion import curated_organisations_complete
from importers.sources.sirene_closures import PERIOD_START, RegisterClosures
from importers.sources.sirene_files import (
    ETABLISSEMENT_COLUMNS,
    ETABLISSEMENTS,
    FILE_LABELS,
    GEOLOCALISATION,
    GEOLOCALISATION_COLUMNS,
    GEOLOCALISATION_OPTIONAL,
    STREET_TYPES,
    UNITE_LEGALE_COLUMNS,
    UNITES_LEGALES,
    SireneFiles,
    qpv_code_read,
    sirene_files,
    stream_rows,
)

#: CRS the geolocation file names: WGS84, Lambert 93, and the overseas UTM zones SIRENE
#: uses (Antilles 5490, Guyane 2972, La Réunion 2975, Mayotte 4471).
ACCEPTED_SRIDS = frozenset({4326, 2154, 5490, 2972, 2975, 4471})
WGS84 = 4326
#: Plausible (min x, min y, max x, max y) of a projected CRS: a value outside is a data
#: error. A WGS84 point is checked against France itself (importers.engine.mapping.in_france).
SRID_EXTENTS = {2154: (50_000.0, 6_000_000.0, 1_300_000.0, 7_200_000.0)}
UTM_EXTENT = (100_000.0, 0.0, 900_000.0, 10_000_000.0)
#: qualite_xy 33: "random point in the commune", worse than no point at all.
RANDOM_POINT_QUALITY = "33"
#: When INSEE last processed an établissement: the file's latest is the file's date.
PROCESSED = "dateDernierTraitementEtablissement"
#: Value INSEE writes in a field a person asked not to publish.
MASKED = "[ND]"
PERSON_CATEGORY = "1000"

_RNA = re.compile(r"^W\d[0-9A-Z]\d{7}$")
_LEGAL_CODE = re.compile(r"^\d{4}$")


class EtablissementValues(NamedTuple):
    """The mapped part of an établissement row (the raw columns are staged beside it)."""

    own_name: str
    street: str
    address_complement: str
    postcode: str
    city: str
    insee_code: str
    naf_code: str


class UniteLegaleValues(NamedTuple):
    """The mapped part of a unité légale row; `name` and `acronym` are "" for a person."""

    name: str
    acronym: str
    legal_category_code: str
    legal_family: str
    rna_id: str


class Position(NamedTuple):
    """A point in the CRS `srid` (one of ACCEPTED_SRIDS), reprojected by PostGIS."""

    x: float
    y: float
    srid: int


# --- Pure mappers --------------------------------------------------------------------------


def map_etablissement(raw: Mapping[str, str]) -> EtablissementValues:
    """An établissement row -> its mapped values. Pure.

    Raises RowRejected when the SIRET is not 14 digits starting with the SIREN. A masked
    value ("[ND]") counts as empty. The SIRET key is not recomputed: SIRENE issues them.
    """
    siret, siren = raw["siret"], raw["siren"]
    if len(siret) != 14 or not siret.isdigit() or not siret.startswith(siren):
        raise RowRejected(_("SIRET invalide : %(value)r.") % {"value": siret})
    street_type = public(raw["typeVoieEtablissement"])
    parts = (
        public(raw["numeroVoieEtablissement"]),
        public(raw["indiceRepetitionEtablissement"]),
        STREET_TYPES.get(street_type, street_type),
        public(raw["libelleVoieEtablissement"]),
    )
    return EtablissementValues(
        own_name=(
            public(raw["enseigne1Etablissement"]) or public(raw["denominationUsuelleEtablissement"])
        )[:255],
        street=" ".join(part for part in parts if part)[:255],
        address_complement=public(raw["complementAdresseEtablissement"])[:255],
        postcode=clean_postcode(public(raw["codePostalEtablissement"])),
        city=public(raw["libelleCommuneEtablissement"])[:120],
        insee_code=raw["codeCommuneEtablissement"],
        naf_code=clean_naf(raw["activitePrincipaleEtablissement"]),
    )


def public_unite_legale(raw: Mapping[str, str]) -> dict[str, str]:
    """The unité légale row without a person's name: for an entrepreneur individuel the
    denomination and sigle are blanked (they may name the person). Pure."""
    if raw["categorieJuridiqueUniteLegale"] != PERSON_CATEGORY:
        return dict(raw)
    return {**raw, "denominationUniteLegale": "", "sigleUniteLegale": ""}


def map_unite_legale(raw: Mapping[str, str]) -> UniteLegaleValues:
    """A unité légale row (already made public) -> its mapped values. Pure; never rejects."""
    category = raw["categorieJuridiqueUniteLegale"]
    person = category == PERSON_CATEGORY
    rna_id = raw["identifiantAssociationUniteLegale"].upper()
    return UniteLegaleValues(
        name="" if person else public(raw["denominationUniteLegale"])[:255],
        acronym="" if person else public(raw["sigleUniteLegale"])[:60],
        legal_category_code=category if _LEGAL_CODE.match(category) else "",
        # SIRENE's ESS flag (O, the filter of this source) is the proof of an ESS company.
        legal_family=legal_family_for(category, ess_proof=True),
        rna_id=rna_id if _RNA.match(rna_id) else "",
    )


def map_geolocalisation(raw: Mapping[str, str]) -> Position | None:
    """A geolocation row -> a Position, or None when it has no usable point. Pure.

    `qualite_xy = 33` (random point in the commune) and empty coordinates give None.
    Raises RowRejected for a CRS outside ACCEPTED_SRIDS, unreadable numbers, or a point
    outside France (WGS84: its mainland and overseas boxes, so that a swapped longitude and
    latitude is caught) or outside the projected CRS's plausible extent.
    """
    if raw["qualite_xy"] == RANDOM_POINT_QUALITY or not (raw["x"] and raw["y"]):
        return None
    epsg = raw["epsg"].upper().removeprefix("EPSG:")
    srid = int(epsg) if epsg.isdigit() else 0
    if srid not in ACCEPTED_SRIDS:
        raise RowRejected(
            _("Système de coordonnées non accepté : %(epsg)r.") % {"epsg": raw["epsg"]}
        )
    x, y = finite_number(raw["x"]), finite_number(raw["y"])
    if x is None or y is None:
        raise RowRejected(
            _("Coordonnées illisibles : x %(x)r, y %(y)r.") % {"x": raw["x"], "y": raw["y"]}
        )
    if not _plausible(x, y, srid):
        raise RowRejected(
            _("Coordonnées hors de France pour EPSG:%(srid)s : x %(x)s, y %(y)s.")
            % {"srid": srid, "x": x, "y": y}
        )
    return Position(x, y, srid)


def _plausible(x: float, y: float, srid: int) -> bool:
    if srid == WGS84:
        return in_france(x, y)
    west, south, east, north = SRID_EXTENTS.get(srid, UTM_EXTENT)
    return west <= x <= east and south <= y <= north


def public(value: str) -> str:
    """A value as published: trimmed, and "" when INSEE masks it ("[ND]")."""
    value = value.strip()
    return "" if value == MASKED else value


# --- Source --------------------------------------------------------------------------------


@dataclass
class _Progress:
    """Lines of the other two files, for the run's summary; `meter` hears of every line
    read, for the progress of a long run."""

    meter: ProgressMeter
    unites_legales: int = 0
    geolocalisations: int = 0
    random_points: int = 0


class SireneSource(ImportSource):
    slug = "sirene"
    info = SourceInfo(
        name="Répertoire SIRENE (INSEE) : établissements de l'ESS",
        publisher="Institut national de la statistique et des études économiques (INSEE)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://www.data.gouv.fr/fr/datasets/base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/",
        description=(
            "Établissements actifs du territoire dont l'unité légale relève de l'ESS "
            "(economieSocialeSolidaireUniteLegale = O), avec leur position géolocalisée."
        ),
    )
    bulk = True
    #: Bump when a mapper of this module or importers.engine.sql.sirene._SIRENE_INCOMING
    #: changes.
    #: 2: a WGS84 point outside France (swapped coordinates) is refused.
    #: 3: the QPV code of the point (plg_qp24).
    mapping_version = 2

    def read(self, path: Path) -> SireneFiles:  # type: ignore[override]
        """The three files of the folder or zip `path` (checked now, read by `load`)."""
        return sirene_files(Path(path))

    def after_load(self) -> list[str]:
        """Listings closed in SIRENE closed here (sirene_closures); the curated listings
        without SIRET completed (or proposed) from this register."""
        closures = getattr(self, "_closures", RegisterClosures())
        return closures.apply() + curated_organisations_complete().lines()

    def dated_label(self, day: str) -> str:
        """The stock's own date: its latest PROCESSED (INSEE's file names carry none)."""
        return _("SIRENE au %(day)s") % {"day": french_day(day)}

    def external_id(self, row: RawRow) -> str:
        return row.data.get("siret", "")

    def load(
        self,
        files: SireneFiles,
        *,
        run,
        insee_codes: frozenset[str],
        progress: ProgressMeter | None = None,
        remap: bool = False,
    ) -> BulkResult:
        """Stream the three files into temporary tables, join them and merge the result;
        with `remap`, an établissement whose rows did not change is mapped again too.

        Returns the counts, by établissement (see the module's docstring); raises
        ImportFailed when a file is unreadable or malformed.
        """
        counts = _Progress(meter=progress or ProgressMeter(source=self.slug))
        result = BulkResult()
        session_prepare()
        execute(sql.DROP_SIRENE_TABLES)
        execute(sql.CREATE_SIRENE_TABLES)
        self._closures = RegisterClosures.for_open_listings()
        sirens = _stage_etablissements(files, insee_codes, result, counts, self._closures)
        _stage_unites_legales(files, sirens, counts)
        _stage_geolocalisations(files, sirens, counts)
        del sirens
        result.details.append(_summary(counts))
        _warn_refused_positions(result)
        _reject_duplicates(result)
        execute(sql.ANALYZE_SIRENE)
        _set_aside(result, not_ess_label(), execute(sql.COUNT_SIRENE_NOT_ESS)[0][0])
        organisations_merge(
            stage=sql.STAGE_SIRENE,
            source_id=run.source_id,
            run_id=run.pk,
            now=timezone.now(),
            result=result,
            table=ETABLISSEMENTS,
            mapping_version=mapping_version_of(self),
            remap=remap,
        )
        execute(sql.DROP_SIRENE_TABLES)
        return result


def closed_label() -> str:
    """The set-aside label of closed établissements (etatAdministratifEtablissement F)."""
    return _("établissements fermés")


def not_ess_label() -> str:
    """The set-aside label of the établissements whose unité légale is not an active ESS
    one (not in the file, not ESS, or ceased)."""
    return _("établissements d'une unité légale hors ESS ou cessée")


def _set_aside(result: BulkResult, label: str, count: int = 1) -> None:
    if count:
        result.set_aside[label] = result.set_aside.get(label, 0) + count


def _stage_etablissements(
    files: SireneFiles,
    insee_codes: frozenset[str],
    result: BulkResult,
    progress: _Progress,
    closures: RegisterClosures,
) -> set[str]:
    """COPY the territory's active établissements; return their SIREN; offer the closed
    ones to `closures`. A later copy of a SIRET is rejected before it is mapped or staged
    (importers.engine.doubles)."""
    sirens: set[str] = set()
    seen, latest = FileIdentifiers(), LatestDay()
    commune = ETABLISSEMENT_COLUMNS.index("codeCommuneEtablissement")
    state = ETABLISSEMENT_COLUMNS.index("etatAdministratifEtablissement")
    siret, closed = ETABLISSEMENT_COLUMNS.index("siret"), closed_label()

    def rows() -> Iterator[tuple]:
        with files.open(ETABLISSEMENTS) as stream:
            columns = {"columns": ETABLISSEMENT_COLUMNS, "optional": (PROCESSED, PERIOD_START)}
            for number, (*values, processed, period_start) in stream_rows(
                stream, name=ETABLISSEMENTS, delimiter=",", **columns
            ):
                result.rows_read += 1
                progress.meter.advance()
                if processed > latest.day:
                    latest.offer(processed)
                if values[commune] not in insee_codes:
                    result.out_of_territory += 1
                    continue
                if values[state] != "A":
                    _set_aside(result, closed)
                    closures.offer(values[siret], period_start)
                    continue
                raw = dict(zip(ETABLISSEMENT_COLUMNS, values, strict=True))
                try:
                    seen.check_not_seen(raw["siret"])
                    mapped = map_etablissement(raw)
                except RowRejected as error:
                    _reject(result, number, raw, raw["siret"], error.reason, ETABLISSEMENTS)
                    continue
                seen.take(raw["siret"])
                sirens.add(raw["siren"])
                yield (number, raw["siret"], raw["siren"], *mapped, *_json(raw))

    _copy("sirene_etablissement", rows())
    result.data_day = latest.day
    return sirens


def _stage_unites_legales(files: SireneFiles, sirens: set[str], progress: _Progress) -> None:
    """COPY the active ESS unités légales of the kept établissements, made public."""
    ess = UNITE_LEGALE_COLUMNS.index("economieSocialeSolidaireUniteLegale")
    state = UNITE_LEGALE_COLUMNS.index("etatAdministratifUniteLegale")

    def rows() -> Iterator[tuple]:
        with files.open(UNITES_LEGALES) as stream:
            for number, values in stream_rows(
                stream, name=UNITES_LEGALES, columns=UNITE_LEGALE_COLUMNS, delimiter=","
            ):
                progress.unites_legales += 1
                progress.meter.advance()
                if values[ess] == "O" and values[state] == "A" and values[0] in sirens:
                    raw = public_unite_legale(dict(zip(UNITE_LEGALE_COLUMNS, values, strict=True)))
                    mapped = map_unite_legale(raw)
                    head_nic = raw["nicSiegeUniteLegale"]
                    yield (number, raw["siren"], *mapped, head_nic, *_json(raw))

    _copy("sirene_unite_legale", rows())


def _stage_geolocalisations(files: SireneFiles, sirens: set[str], progress: _Progress) -> None:
    """COPY the points of the établissements of `sirens`; a row refused by the mapper is
    staged with its reason (see _warn_refused_positions)."""
    columns = (*GEOLOCALISATION_COLUMNS, *GEOLOCALISATION_OPTIONAL)

    def rows() -> Iterator[tuple]:
        with files.open(GEOLOCALISATION) as stream:
            for number, values in stream_rows(
                stream,
                name=GEOLOCALISATION,
                columns=GEOLOCALISATION_COLUMNS,
                delimiter=";",
                optional=GEOLOCALISATION_OPTIONAL,
            ):
                progress.geolocalisations += 1
                progress.meter.advance()
                if values[0][:9] not in sirens:
                    continue
                raw = dict(zip(columns, values, strict=True))
                try:
                    position = map_geolocalisation(raw)
                except RowRejected as error:
                    yield (number, raw["siret"], None, None, None, error.reason, "", *_json(raw))
                    continue
                if position is None:
                    progress.random_points += raw["qualite_xy"] == RANDOM_POINT_QUALITY
                    continue
                qpv_code = qpv_code_read(raw)
                yield (number, raw["siret"], *position, "", qpv_code, *_json(raw))

    _copy("sirene_geolocalisation", rows())


def _warn_refused_positions(result: BulkResult) -> None:
    """Remove the refused points; warn of those of the établissements the run merges (they
    stay listed, without a point): not rejections, which count établissements."""
    for number, siret, reason in execute(sql.SIRENE_GEOLOCALISATION_REFUSED):
        result.warnings.append(
            _("%(siret)s : position refusée (géolocalisation, ligne %(number)s) : %(reason)s")
            % {"siret": siret, "number": number, "reason": reason}
        )


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(raw: dict[str, str]) -> tuple[str, str]:
    """The raw record as JSON text, and its md5 (the content hash is built from these)."""
    text = _encode(raw)
    return text, hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _copy(table: str, rows: Iterator[tuple]) -> None:
    copy_rows(table=table, columns=sql.sirene_columns(table), rows=rows)


def _reject_duplicates(result: BulkResult) -> None:
    """A later line of an identifier the unités légales or the geolocation file gives
    twice is a warning (these files only complete the établissements)."""
    if not execute(sql.SIRENE_HAS_DUPLICATES)[0][0]:
        return
    double = _("Identifiant en double dans le fichier : %(id)s.")
    for table, statement in sql.SIRENE_DUPLICATES.items():
        for number, identifier in execute(statement):
            reason = double % {"id": identifier}
            result.warnings.append(
                _("%(table)s, ligne %(number)s ignorée : %(reason)s")
                % {"table": FILE_LABELS.get(table, table), "number": number, "reason": reason}
            )


def _reject(
    result: BulkResult, number: int, raw: dict | str, external_id: str, reason: str, table: str
):
    result.reject(
        number=number,
        external_id=external_id,
        raw=raw,
        reason=f"{FILE_LABELS.get(table, table)} : {reason}",
        table=table,
    )


def _summary(progress: _Progress) -> str:
    return _(
        "Lus aussi : %(ul)s unités légales, %(geo)s lignes de géolocalisation ; "
        "%(random)s positions aléatoires (qualite_xy 33) écartées, leurs établissements "
        "restent listés sans position."
    ) % {
        "ul": progress.unites_legales,
        "geo": progress.geolocalisations,
        "random": progress.random_points,
    }
