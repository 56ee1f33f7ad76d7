"""`recherche-entreprises`: ESS organisations of the territory, from the API Recherche
d'entreprises (DINUM), no key.

Live (default): `GET <base>/search?code_commune=<code>&est_ess=true&etat_administratif=A
&per_page=25&page=N&limite_matching_etablissements=100` for each INSEE code of the
territory, at most 7 requests/s. The API caps `total_results` at 10,000 (and page x
per_page at 10,000): a query that reaches the cap is split by `section_activite_principale`
(A..U, a partition of the units that declare an activity; a unit without one would be
missed in a split query, which the log says). A unit found under two codes is read once.

`--file` reads saved answers: one raw answer (`{results, total_results, ...}`), the
annuaire's wrapper `{"result": <answer>}`, or a list of either.

What the API's `complements.est_ess` means: the API merges SIRENE's ESS flag
(`economieSocialeSolidaireUniteLegale = O`) with the ESS France list of ESS companies,
which is the official directory's rule (SOURCES.md). Cartess records the status as ESS with
source "sirene" (the répertoire as the API serves it), and never turns a `false` into
"hors ESS": absence from both lists proves nothing.

People's data: an entrepreneur individuel (catégorie 1000) is named after a person and is
rejected; `dirigeants` (people) are dropped from the stored raw record.
"""

import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from directory.models import EssStatus, EssStatusSource, GeocodingQuality
from directory.services import OrganisationData
from importers.base import ImportSource, Mapped, RawRow, SourceInfo, Whereabouts
from importers.errors import BadPayload, RowRejected
from importers.http import Fetcher, check_envelope
from importers.legal_forms import legal_family_for, legal_form_label
from importers.mapping import (
    clean_naf,
    clean_postcode,
    point_from_lon_lat,
    siret_is_valid,
    text,
)
from importers.readers import open_text

logger = logging.getLogger(__name__)

API_URL = "https://recherche-entreprises.api.gouv.fr"
QUERY = {
    "est_ess": "true",
    "etat_administratif": "A",
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
INDIVIDUAL_ENTREPRENEUR = "1000"
_SIREN = re.compile(r"^\d{9}$")
_RNA = re.compile(r"^W\d[0-9A-Z]\d{7}$")


class RechercheEntreprisesSource(ImportSource):
    slug = "recherche-entreprises"
    mapping_version = 1
    info = SourceInfo(
        name="API Recherche d'entreprises (structures de l'ESS)",
        publisher="Direction interministérielle du numérique (DINUM), données INSEE SIRENE, "
        "RNE et ESS France",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        url="https://recherche-entreprises.api.gouv.fr/docs/",
        description="Unités légales actives de l'ESS ayant un établissement sur le territoire.",
    )
    default_url = API_URL
    is_api = True
    rate_per_second = 7.0

    def read(self, path: Path) -> Iterator[RawRow]:
        with open_text(path) as stream:
            try:
                payload = json.load(stream)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise BadPayload(
                    _("Fichier JSON invalide %(path)s : %(error)s.")
                    % {"path": path.name, "error": error}
                ) from error
        answers = payload if isinstance(payload, list) else [payload]
        results = (result for answer in answers for result in _results(_unwrap(answer), path.name))
        yield from _unique_rows(results)

    def fetch(self, url: str, fetcher: Fetcher) -> Iterator[RawRow]:
        endpoint = url.rstrip("/").removesuffix("/search") + "/search"
        results = (
            result
            for code in settings.CARTESS_TERRITORY_INSEE_CODES
            for result in search(fetcher, endpoint, {"code_commune": code, **QUERY})
        )
        yield from _unique_rows(results)

    def external_id(self, row: RawRow) -> str:
        siren = text(row.data, "siren")
        return siren if _SIREN.match(siren) else ""

    def locate(self, row: RawRow) -> Whereabouts:
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
    pages = fetcher.pages_by_number(endpoint, params=params)
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
    name) or a result without name or SIREN.
    """
    siren = text(raw, "siren")
    if not _SIREN.match(siren):
        raise RowRejected(_("SIREN invalide : %(siren)r.") % {"siren": siren})
    nature = text(raw, "nature_juridique")
    if nature == INDIVIDUAL_ENTREPRENEUR:
        raise RowRejected(_("Entrepreneur individuel : le nom d'une personne n'est pas publié."))
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


def _point(place: Mapping[str, Any]) -> tuple[Any, tuple[str, ...]]:
    try:
        return point_from_lon_lat(text(place, "longitude"), text(place, "latitude")), ()
    except RowRejected as error:
        return None, (_("position ignorée : %(reason)s") % {"reason": error.reason},)


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


def _unique_rows(results: Iterator[Any]) -> Iterator[RawRow]:
    """Raw rows of the results, each SIREN once (a unit may match two codes or pages)."""
    seen: set[str] = set()
    number = 0
    for result in results:
        number += 1
        if not isinstance(result, dict):
            yield RawRow(number=number, data={"invalide": str(result)[:200]})
            continue
        siren = text(result, "siren")
        if siren and siren in seen:
            continue
        seen.add(siren)
        yield RawRow(number=number, data=_kept(result))


def _kept(result: dict) -> dict:
    return {key: value for key, value in result.items() if key not in DROPPED_KEYS}
