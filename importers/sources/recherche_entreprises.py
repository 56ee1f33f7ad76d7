"""`recherche-entreprises`: ESS organisations of the territory, from the API Recherche
d'entreprises (DINUM), no key.

Live (default): `GET <base>/search?code_commune=<code>&est_ess=true&per_page=25&page=N
&limite_matching_etablissements=100` for each INSEE code of the territory (units of every
state: the closed établissements close their listings, recherche_entreprises_closures),
at most 7 requests/s. The API caps `total_results` at 10,000 (and page x
per_page at 10,000): a query that reaches the cap is split by `section_activite_principale`
(A..U, a partition of the units that declare an activity; a unit without one would be
missed in a split query, which the log says). A unit found under two codes or pages is
read once: the queries overlap, the API does not repeat itself.

`--file` reads saved answers: one raw answer (`{results, total_results, ...}`), the
annuaire's wrapper `{"result": <answer>}`, or a list of either. Every result of a file is
a row: a SIREN given twice is rejected as a duplicate, a result that is not an object as
unreadable. A file whose results all lack `siren`, `nom_complet` or `nature_juridique`
(a renamed field) fails the run.

What the API's `complements.est_ess` means: the API merges SIRENE's ESS flag
(`economieSocialeSolidaireUniteLegale = O`) with the ESS France list of ESS companies,
which is the official directory's rule (SOURCES.md). Cartess records the status as ESS with
source "sirene" (the répertoire as the API serves it), and never turns a `false` into
"hors ESS": absence from both lists proves nothing.

The flags of `complements` read: `est_ess` (above; kind entreprise-ess), `est_siae` (kind
siae, sector iae), `est_entrepreneur_individuel` (rejected, below) and
`identifiant_association` (the RNA id). `est_association` is not read on its own: the
legal family comes from `nature_juridique` (an association's 92xx) as for every unit.
ESUS (agrément « entreprise solidaire d'utilité sociale », article L3332-17-1 of the Code
du travail): the API publishes no such flag (none in its `complements`, nor among its
search parameters), so none is read. The agreement is given by the préfet (DREETS); an
ESUS structure can say so on its listing, or a list the DREETS publishes could be imported.

People's data: an entrepreneur individuel (catégorie 1000, or `est_entrepreneur_individuel`)
is named after a person and is rejected. What `read` and `fetch` yield for it is already
stripped to what names no one (SIREN, legal category, activity, communes of its
établissements): its name, trade names, signs, addresses and coordinates never reach the
provenance nor the rejection's raw record. `dirigeants` (people) are dropped from every
stored raw record.
"""

import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from directory.models import EssStatus, EssStatusSource, GeocodingQuality
from directory.records import OrganisationData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.engine.dating import french_day
from importers.engine.errors import BadPayload, RowRejected
from importers.engine.legal_forms import legal_family_for, legal_form_label
from importers.engine.mapping import (
    clean_naf,
    clean_postcode,
    point_from_lon_lat,
    siret_is_valid,
    text,
)
from importers.io.answers import check_envelope
from importers.io.http import Fetcher
from importers.io.readers import load_json, require_keys
from importers.sources.recherche_entreprises_closures import (
    closed_label,
    closed_places,
    closures_apply,
    is_closed,
)
from importers.sources.recherche_entreprises_match import (
    PagedOrganisationLoader,
    PageMatches,
    rows_prefetched,
)
from importers.sources.register_completion import curated_organisations_complete
from importers.sources.sirene_closures import RegisterClosures

logger = logging.getLogger(__name__)

API_URL = "https://recherche-entreprises.api.gouv.fr"
QUERY = {
    "est_ess": "true",
    "per_page": 25,
    "limite_matching_etablissements": 100,
}
#: The API never counts past this; a query that reaches it is split.
RESULTS_CAP = 10_000
SPLIT_PARAM = "section_activite_principale"
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
#: Keys of a result that are not kept in the provenance: people (dirigeants), and what
#: the annuaire's own deployment adds (admin) or changes every year (finances).
DROPPED_KEYS = ("dirigeants", "admin", "finances", "immatriculation")
#: Keys every result has; a file where none has one of them is not the expected one.
REQUIRED_KEYS = ("siren", "nom_complet", "nature_juridique")
INDIVIDUAL_ENTREPRENEUR = "1000"
#: What is kept of an entrepreneur individuel's result (it names no one), and of each of
#: its établissements (where it lies, for the territory test, without street or point).
PERSON_KEYS = (
    "siren",
    "nature_juridique",
    "etat_administratif",
    "activite_principale",
    "section_activite_principale",
)
PERSON_PLACE_KEYS = ("commune", "code_postal", "libelle_commune", "est_siege", "etat_administratif")
#: When the API's sources last updated a unit or an établissement: the latest one an
#: import reads dates the source (importers.engine.dating).
UPDATE_KEYS = ("date_mise_a_jour", "date_mise_a_jour_insee", "date_mise_a_jour_rne")
#: Marks a result stripped of a person's data, or one that was not an object.
REDACTED_KEY = "donnees_personnelles"
UNREADABLE_KEY = "enregistrement_illisible"
_SIREN = re.compile(r"^\d{9}$")
_RNA = re.compile(r"^W\d[0-9A-Z]\d{7}$")


class RechercheEntreprisesSource(ImportSource):
    slug = "recherche-entreprises"
    mapping_version = 2
    info = SourceInfo(
        name="API Recherche d'entreprises (structures de l'ESS)",
        publisher="Direction interministérielle du numérique (DINUM), données INSEE SIRENE, "
        "RNE et ESS France",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://recherche-entreprises.api.gouv.fr/docs/",
        description="Unités légales de l'ESS ayant un établissement sur le territoire ; "
        "les établissements fermés ferment leur fiche.",
    )
    default_url = API_URL
    is_api = True
    rate_per_second = 7.0

    def read(self, path: Path) -> Iterator[RawRow]:
        """Every result of the saved answers, in order. Raises BadPayload when the file is
        not JSON or not such answers, ImportFailed when a required key is absent from all."""
        payload = load_json(path)
        answers = payload if isinstance(payload, list) else [payload]
        results = [result for answer in answers for result in _results(_unwrap(answer), path.name)]
        require_keys(_records(results), REQUIRED_KEYS, path.name)
        rows = (
            RawRow(number=number, data=stored_record(result))
            for number, result in enumerate(results, start=1)
        )
        yield from self._prefetched(rows)

    def fetch(self, url: str, fetcher: Fetcher) -> Iterator[RawRow]:
        endpoint = url.rstrip("/").removesuffix("/search") + "/search"
        results = (
            result
            for code in settings.CARTESS_TERRITORY_INSEE_CODES
            for result in search(fetcher, endpoint, {"code_commune": code, **QUERY})
        )
        yield from self._prefetched(_unique_rows(results))

    def loaders(self) -> Mapping[type, Any]:
        """Organisations matched a page at a time (recherche_entreprises_match)."""
        self._matches = PageMatches()
        return {OrganisationData: PagedOrganisationLoader(self._matches)}

    def _prefetched(self, rows: Iterator[RawRow]) -> Iterator[RawRow]:
        territory = _territory()
        self._closures = RegisterClosures.for_open_listings()
        yield from rows_prefetched(
            self._offering_closed(rows, territory),
            matches=getattr(self, "_matches", None),
            mapper=lambda raw: map_company(raw, territory=territory),
        )

    def _offering_closed(self, rows: Iterator[RawRow], territory) -> Iterator[RawRow]:
        """`rows`, each one's closed établissements of the territory offered to the run's
        closures first (they close the open listings that have their SIRET)."""
        for row in rows:
            for siret, closed_on in closed_places(row.data, territory=territory):
                self._closures.offer(siret, closed_on)
            yield row

    def set_aside(self, row: RawRow) -> str:
        """A unit whose établissement to show is closed (a ceased unit, or one whose
        établissements in the territory all closed) never becomes a new listing."""
        if UNREADABLE_KEY in row.data or not is_closed(
            establishment(row.data, territory=_territory())
        ):
            return ""
        return closed_label()

    def after_load(self) -> list[str]:
        """Listings whose établissement the API reports closed closed here
        (recherche_entreprises_closures); the curated listings without SIRET completed (or
        proposed) from this register."""
        closures = getattr(self, "_closures", RegisterClosures())
        return closures_apply(closures) + curated_organisations_complete().lines()

    def data_day(self, row: RawRow) -> str | None:
        """The latest `date_mise_a_jour*` of the result, its siège and its établissements."""
        places = [row.data, row.data.get("siege"), *(row.data.get("matching_etablissements") or [])]
        days = [
            place.get(key)
            for place in places
            if isinstance(place, dict)
            for key in UPDATE_KEYS
            if isinstance(place.get(key), str)
        ]
        return max(days, default=None)

    def dated_label(self, day: str) -> str:
        return _("Recherche d'entreprises au %(day)s") % {"day": french_day(day)}

    def external_id(self, row: RawRow) -> str:
        """The SIREN as given (the mapper rejects an invalid one, naming it); "" for a
        result that is not an object (the mapper says why it is rejected)."""
        if UNREADABLE_KEY in row.data:
            return ""
        return text(row.data, "siren")

    def locate(self, row: RawRow) -> Whereabouts | None:
        if UNREADABLE_KEY in row.data:
            return None  # rejected by the mapper, wherever it is
        place = establishment(row.data, territory=_territory())
        try:
            point = point_from_lon_lat(text(place, "longitude"), text(place, "latitude"))
        except RowRejected:
            point = None
        return Whereabouts(point=point, insee_code=text(place, "commune"))

    def map(self, row: RawRow) -> Mapped:
        return map_company(row.data, territory=_territory())


def search(fetcher: Fetcher, endpoint: str, params: Mapping[str, Any]) -> Iterator[dict]:
    """Every result of a query, page after page; a query at the cap is split by section.

    Raises FetchFailed or BadPayload (from the fetcher) when the API fails.
    """
    pages = (_checked(page, endpoint) for page in fetcher.pages_by_number(endpoint, params=params))
    first = next(pages)
    capped = _total(first, endpoint) >= RESULTS_CAP
    if capped and SPLIT_PARAM not in params:
        logger.info("%s results capped for %s: split by %s", RESULTS_CAP, params, SPLIT_PARAM)
        for section in SECTIONS:
            yield from search(fetcher, endpoint, {**params, SPLIT_PARAM: section})
        return
    if capped:
        logger.warning("Query %s still reaches the %s cap: results missing", params, RESULTS_CAP)
    yield from first["results"]
    for page in pages:
        yield from page["results"]


def map_company(raw: Mapping[str, Any], *, territory: frozenset[str]) -> Mapped:
    """An API result -> OrganisationData of its établissement in the territory. Pure.

    The établissement is the first active matching one in the territory (the siège
    first), else the siège. Raises RowRejected for an entrepreneur individuel (a person's
    name), a result that is not an object, or one without name or valid SIREN.
    """
    if UNREADABLE_KEY in raw:
        raise RowRejected(
            _("Enregistrement illisible : ce n'est pas un objet JSON (%(value)s).")
            % {"value": raw[UNREADABLE_KEY]}
        )
    if is_person(raw):
        raise RowRejected(_("Entrepreneur individuel : le nom d'une personne n'est pas publié."))
    siren = text(raw, "siren")
    if not siren:
        raise RowRejected(_("SIREN manquant : la ligne ne peut pas être suivie."))
    if not _SIREN.match(siren):
        raise RowRejected(_("SIREN invalide : %(siren)s.") % {"siren": siren})
    nature = text(raw, "nature_juridique")
    name = text(raw, "nom_complet") or text(raw, "nom_raison_sociale")
    if not name:
        raise RowRejected(_("Nom manquant (nom_complet)."))
    complements = raw.get("complements") or {}
    is_ess = complements.get("est_ess") is True
    is_siae = complements.get("est_siae") is True
    place = establishment(raw, territory=territory)
    point, warnings = _point(place)
    data = OrganisationData(
        name=name[:255],
        kinds=("entreprise-ess",) * is_ess + ("siae",) * is_siae,
        acronym=text(raw, "sigle")[:60],
        legal_family=legal_family_for(nature, ess_proof=is_ess),
        legal_category_code=nature if re.fullmatch(r"\d{4}", nature) else "",
        legal_form=legal_form_label(nature),
        ess_status=EssStatus.ESS if is_ess else EssStatus.UNKNOWN,
        ess_status_source=EssStatusSource.SIRENE if is_ess else "",
        siren=siren,
        siret=_siret(place, siren),
        rna_id=_rna(complements),
        naf_code=clean_naf(text(place, "activite_principale") or text(raw, "activite_principale")),
        sectors=("iae",) if is_siae else (),
        **_address(place),
        location=point,
        geocoding_quality=GeocodingQuality.SOURCE if point else "",
    )
    return Mapped(data, warnings=warnings)


def establishment(raw: Mapping[str, Any], *, territory: frozenset[str]) -> Mapping[str, Any]:
    """The établissement that stands for the unit in the territory (see `map_company`)."""
    matching = [
        place
        for place in raw.get("matching_etablissements") or []
        if isinstance(place, dict)
        and text(place, "commune") in territory
        and text(place, "etat_administratif") in {"A", ""}
    ]
    matching.sort(key=lambda place: place.get("est_siege") is not True)
    if matching:
        return matching[0]
    return raw.get("siege") or {}


def is_person(raw: Mapping[str, Any]) -> bool:
    """Whether the result is an entrepreneur individuel, named after a person."""
    complements = raw.get("complements")
    flagged = isinstance(complements, Mapping) and complements.get("est_entrepreneur_individuel")
    return text(raw, "nature_juridique") == INDIVIDUAL_ENTREPRENEUR or flagged is True


def stored_record(result: Any) -> dict:
    """What is kept of an API result as its raw record: without people (`dirigeants`) and
    the annuaire's extras; an entrepreneur individuel stripped to what names no one; a
    result that is not an object marked unreadable."""
    if not isinstance(result, dict):
        return {UNREADABLE_KEY: str(result)[:200]}
    if is_person(result):
        return _redacted(result)
    return {key: value for key, value in result.items() if key not in DROPPED_KEYS}


def _redacted(result: Mapping[str, Any]) -> dict:
    kept = {key: result[key] for key in PERSON_KEYS if key in result}
    places = result.get("matching_etablissements")
    return kept | {
        "complements": {"est_entrepreneur_individuel": True},
        "siege": _redacted_place(result.get("siege")),
        "matching_etablissements": [
            _redacted_place(place) for place in (places if isinstance(places, list) else [])
        ],
        REDACTED_KEY: "retirées (entrepreneur individuel)",
    }


def _redacted_place(place: Any) -> dict:
    if not isinstance(place, Mapping):
        return {}
    return {key: place[key] for key in PERSON_PLACE_KEYS if key in place}


def _point(place: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]]:
    try:
        return point_from_lon_lat(text(place, "longitude"), text(place, "latitude")), ()
    except RowRejected as error:
        return None, (_("position ignorée (%(reason)s)") % {"reason": _clause(error.reason)},)


def _clause(reason: str) -> str:
    """A rejection's sentence as a clause: "Coordonnées hors de France : …." -> "coordonnées
    hors de France : …"."""
    reason = reason.strip().removesuffix(".")
    return reason[:1].lower() + reason[1:]


def _siret(place: Mapping[str, Any], siren: str) -> str:
    siret = text(place, "siret")
    return siret if siret.startswith(siren) and siret_is_valid(siret) else ""


def _rna(complements: Mapping[str, Any]) -> str:
    rna = text(complements, "identifiant_association").upper()
    return rna if _RNA.match(rna) else ""


def _address(place: Mapping[str, Any]) -> dict[str, str]:
    """Street, postcode, city and INSEE code; `adresse` ends with "<postcode> <city>"."""
    postcode, city = text(place, "code_postal"), text(place, "libelle_commune")
    street = text(place, "adresse")
    street = street.removesuffix(f"{postcode} {city}".strip()).strip() if postcode else street
    commune = text(place, "commune")
    return {
        "street": street[:255],
        "address_complement": text(place, "complement_adresse")[:255],
        "postcode": clean_postcode(postcode),
        "city": city[:120],
        "insee_code": commune if re.fullmatch(r"\d{5}|2[AB]\d{3}", commune) else "",
    }


def _territory() -> frozenset[str]:
    return frozenset(settings.CARTESS_TERRITORY_INSEE_CODES)


def _unwrap(answer: Any) -> Any:
    """The raw answer inside the annuaire's `{"searchTerms", "result"}` wrapper."""
    if isinstance(answer, dict) and "results" not in answer and "result" in answer:
        return answer["result"]
    return answer


def _results(answer: Any, origin: str) -> list:
    check_envelope(answer, origin, results_key="results")
    return answer["results"]


def _total(page: Mapping[str, Any], endpoint: str) -> int:
    try:
        return int(page.get("total_results", 0))
    except (TypeError, ValueError):
        raise BadPayload(
            _("%(url)s : total_results illisible : %(value)r.")
            % {"url": endpoint, "value": page.get("total_results")}
        ) from None


def _checked(page: Mapping[str, Any], endpoint: str) -> Mapping[str, Any]:
    """An API page whose results have the required keys (ImportFailed otherwise)."""
    require_keys(_records(page["results"]), REQUIRED_KEYS, endpoint)
    return page


def _records(results: list) -> list[dict]:
    return [result for result in results if isinstance(result, dict)]


def _unique_rows(results: Iterator[Any]) -> Iterator[RawRow]:
    """Raw rows of the API's results, each SIREN once: the queries of two codes, or two
    pages of one query, may give the same unit (it is the same answer, not a duplicate)."""
    seen: set[str] = set()
    number = 0
    for result in results:
        siren = text(result, "siren") if isinstance(result, dict) else ""
        if siren and siren in seen:
            continue
        seen.add(siren)
        number += 1
        yield RawRow(number=number, data=stored_record(result))
