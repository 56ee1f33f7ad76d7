"""`seed`: the curated organisations and funding schemes of Lille's ESS (lille-ess-seed).

Two files, read in this order: organisations.csv, then funding_schemes.csv (schemes link
to the organisations that fund or run them). Every value is sourced, and "an empty cell
means no source was found" (README.md of the data): nothing is filled in that the file
does not say. The free-text vocabularies of the file are mapped to the taxonomy slugs by the
decision tables of importers.sources.seed_vocabulary; a term missing from a table rejects
the row, so that a person extends the table rather than the importer guessing.
"""

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import EssStatus, EssStatusSource, SupportCost
from directory.records import FundingSchemeData, SupportOfferData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.mapping import (
    clean_postcode,
    clean_siret,
    clean_website,
    required_text,
    split_terms,
    term_details,
    term_head,
    text,
)
from importers.io.geocoding import AddressQuery
from importers.io.readers import csv_rows
from importers.sources.seed_addresses import mark_asked, seed_address_query, seed_point
from importers.sources.seed_places import (
    SeedOrganisationData,
    SeedOrganisationLoader,
    place_fields,
)
from importers.sources.seed_vocabulary import (
    AMOUNT_CAP,
    AMOUNT_RANGE,
    ELIGIBILITY_PATTERN,
    ELIGIBILITY_PHRASES,
    ESS_BY_STATUTE,
    FUNDER_ALIASES,
    INSTRUMENT_DETAILS,
    INSTRUMENT_TERMS,
    KIND_TERMS,
    LEGAL_FAMILY_OPENINGS,
    LEGAL_FAMILY_TERMS,
    OPEN,
    STAGE_TERMS,
    STRATEGY_TERMS,
    SUPPORT_KIND_WORDS,
    SUPPORT_ONLY,
    TERRITORY_COMMUNES,
    TERRITORY_RULES,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data/lille-ess-seed"
ORGANISATIONS = "organisations"
SCHEMES = "funding_schemes"
COLUMNS = {
    ORGANISATIONS: (
        "name",
        "kind",
        "summary",
        "website",
        "street",
        "postcode",
        "commune",
        "siren",
        "latitude",
        "longitude",
        "source_url",
        "lieu_totem",
        "lieu_totem_source",
    ),
    SCHEMES: (
        "name",
        "funder",
        "instrument",
        "stages",
        "amount_range",
        "eligible_structures",
        "territory",
        "url",
        "source_url",
        "notes",
    ),
}
#: Columns a file may lack (an older copy of the data): they then read as empty.
OPTIONAL_COLUMNS = {SCHEMES: ("scale_up_strategies", "co_financing_with", "strategy_source")}

# --- Organisations -------------------------------------------------------------------------


class SeedSource(ImportSource):
    slug = "seed"
    #: 2: support offers keep who they are for in `eligibility_text` (was in the description).
    #: 3: schemes read their scale-up strategies, co-financing partner and its source.
    #: 4: an offer's `notes` are the staff's `sourcing_note`, no longer its public description.
    #: 5: organisations say which kind of place they are (lieu_totem, seed_places).
    #: 6: an address without coordinates gets the BAN's point (seed_addresses).
    mapping_version = 6
    #: Only when asked (`import seed --geocode`, sync, the schedule): `make demo` is offline.
    geocodes_on_request = True
    #: The seed is the demo's backbone: a BAN that fails costs points, never the run.
    geocoding_optional = True
    info = SourceInfo(
        name="Acteurs et financements de l'ESS à Lille (sélection documentée)",
        publisher="Cartess, d'après des pages publiques citées ligne par ligne",
        licence="Sources citées dans la colonne source_url de chaque ligne",
        licence_url="",
        url="",
        attribution_field="source_url",
        description="Structures d'accompagnement, financeurs, réseaux, tiers-lieux et "
        "dispositifs de financement cités par la stratégie ESS de Lille.",
    )

    def default_file(self) -> Path:
        return DATA_DIR

    def loaders(self) -> dict[type, Any]:
        return {SeedOrganisationData: SeedOrganisationLoader()}

    def read(self, path: Path) -> Iterator[RawRow]:
        """Both files of a folder, organisations first; or one file named after its table."""
        for table in self._tables(path):
            file = path / f"{table}.csv" if path.is_dir() else path
            rows = csv_rows(
                file, columns=COLUMNS[table], optional=OPTIONAL_COLUMNS.get(table, ()), table=table
            )
            if self.geocodes and table == ORGANISATIONS:
                rows = (mark_asked(row) for row in rows)
            yield from rows

    def _tables(self, path: Path) -> tuple[str, ...]:
        if path.is_dir():
            return (ORGANISATIONS, SCHEMES)
        if path.stem in COLUMNS:
            return (path.stem,)
        raise ImportFailed(
            _("Donnez le dossier de organisations.csv et funding_schemes.csv, ou l'un d'eux.")
        )

    def address_query(self, row: RawRow) -> AddressQuery | None:
        """The street address of an organisation without coordinates (seed_addresses)."""
        return seed_address_query(row.data) if row.table == ORGANISATIONS else None

    def external_id(self, row: RawRow) -> str:
        name = slugify(text(row.data, "name"))
        return f"{row.table}:{name}" if name else ""

    def map(self, row: RawRow) -> Mapped:
        if row.table == ORGANISATIONS:
            return map_organisation(row.data)
        return map_scheme(row.data)


def organisation_ref(name: str) -> str:
    """The external id under which the seed loads the organisation called `name`."""
    return f"{ORGANISATIONS}:{slugify(name)}"


def map_organisation(raw: dict) -> Mapped:
    """An organisations.csv row -> OrganisationData. Pure. Its point: seed_addresses.

    Raises RowRejected when the name or kind is missing or unknown, when only one
    coordinate is given or the point is outside France, or when the SIREN/SIRET is invalid.
    """
    name = required_text(raw, "name", _("Nom"))
    terms = [term.lower() for term in split_terms(text(raw, "kind"))]
    kinds = organisation_kinds(terms)
    family = legal_family(terms, name, text(raw, "summary"))
    website = clean_website(text(raw, "website"))
    warnings = [] if website or not text(raw, "website") else [_("site web invalide ignoré")]
    point, unknown = seed_point(raw, warnings)
    data = SeedOrganisationData(
        **place_fields(raw, terms),
        name=name,
        kinds=kinds,
        description=text(raw, "summary"),
        legal_family=family,
        ess_status=EssStatus.ESS if family in ESS_BY_STATUTE else EssStatus.UNKNOWN,
        ess_status_source=EssStatusSource.STATUTE if family in ESS_BY_STATUTE else "",
        **_company_ids(text(raw, "siren")),
        street=text(raw, "street"),
        postcode=clean_postcode(text(raw, "postcode")),
        city=text(raw, "commune"),
        insee_code=TERRITORY_COMMUNES.get(text(raw, "commune").lower(), ""),
        **point,
        website=website,
    )
    return Mapped(data, warnings=tuple(warnings), unknown=unknown)


def organisation_kinds(terms: list[str]) -> tuple[str, ...]:
    """OrganisationKind slugs of the `kind` terms. Raises RowRejected for an unknown term."""
    if not terms:
        raise RowRejected(_("Type d'acteur manquant (colonne kind)."))
    unknown = [term for term in terms if term not in KIND_TERMS]
    if unknown:
        raise RowRejected(_("Type d'acteur inconnu : %(terms)s.") % {"terms": ", ".join(unknown)})
    return tuple(sorted({slug for term in terms for slug in KIND_TERMS[term]}))


def legal_family(terms: list[str], name: str, summary: str) -> str:
    """The legal family the row states (by its kind, then its name or summary), or ""."""
    for term in terms:
        if term in LEGAL_FAMILY_TERMS:
            return LEGAL_FAMILY_TERMS[term]
    for opening in (name, summary):
        match = LEGAL_FAMILY_OPENINGS.match(opening)
        if match:
            return match.lastgroup or ""
    return ""


def _company_ids(value: str) -> dict[str, str]:
    digits = re.sub(r"\s", "", value)
    if not digits:
        return {}
    if len(digits) == 9 and digits.isdigit():
        return {"siren": digits}
    siret = clean_siret(digits)
    return {"siren": siret[:9], "siret": siret}


def map_scheme(raw: dict) -> Mapped:
    """A funding_schemes.csv row -> FundingSchemeData, or SupportOfferData when its only
    instrument is "accompagnement". Pure. Raises RowRejected for a missing name or stage,
    or an instrument or stage the decision tables do not know. Eligible legal families come
    from ELIGIBILITY_PHRASES; an eligibility text it does not know leaves the offer open to
    all with a warning rather than rejecting the row (the text itself is always kept).
    """
    required_text(raw, "name", _("Nom"))
    instruments = split_terms(text(raw, "instrument"))
    if instruments and all(term_head(term) == SUPPORT_ONLY for term in instruments):
        return _support_offer(raw, instruments)
    return _funding_scheme(raw, instruments)


def _funding_scheme(raw: dict, instruments: list[str]) -> Mapped:
    amount_min, amount_max = parse_amounts(text(raw, "amount_range"))
    scope, areas = territory_scope(text(raw, "territory"))
    families, warnings = _eligibility(text(raw, "eligible_structures"))
    data = FundingSchemeData(
        name=text(raw, "name"),
        sourcing_note=text(raw, "notes"),  # caveats for the staff, not a presentation
        url=clean_website(text(raw, "url")),
        stages=stages(text(raw, "stages")),
        territory_scope=scope,
        territory_label=text(raw, "territory"),
        territory_areas=areas,
        funders_label=text(raw, "funder")[:255],
        instruments=instrument_slugs(instruments),
        amount_min=amount_min,
        amount_max=amount_max,
        amount_text=text(raw, "amount_range"),
        eligibility_text=text(raw, "eligible_structures"),
        eligible_legal_families=families,
    )
    links = {"funders": funder_refs(text(raw, "funder"))}
    return _with_scale_up(Mapped(data, links=links, warnings=warnings), raw)


def _with_scale_up(mapped: Mapped, raw: dict) -> Mapped:
    """`mapped` with the row's scale-up strategies, its co-financing partner (a link to
    another scheme of the file) and their source. Pure. A row that names neither says
    nothing about them: the three fields are then unknown (a person's values stay). An
    unknown strategy is left out with a warning."""
    terms = [term.lower() for term in split_terms(text(raw, "scale_up_strategies"))]
    partner = text(raw, "co_financing_with")
    if not terms and not partner:
        unknown = frozenset({"scale_up_strategies", "co_financeable_with", "scale_up_source"})
        return replace(mapped, unknown=mapped.unknown | unknown)
    unknown_terms = [term for term in terms if term not in STRATEGY_TERMS]
    slugs = {STRATEGY_TERMS[term] for term in terms if term in STRATEGY_TERMS}
    data = replace(
        mapped.data,
        scale_up_strategies=tuple(sorted(slugs)),
        scale_up_source=text(raw, "strategy_source"),
    )
    links = {**mapped.links, "co_financing": (scheme_ref(partner),) if partner else ()}
    warnings = tuple(mapped.warnings) + tuple(
        _("Stratégie de changement d'échelle inconnue ignorée : %(term)s") % {"term": term}
        for term in unknown_terms
    )
    return replace(mapped, data=data, links=links, warnings=warnings)


def scheme_ref(name: str) -> str:
    """The external id under which the seed loads the scheme called `name`."""
    return f"{SCHEMES}:{slugify(name)}"


def _support_offer(raw: dict, instruments: list[str]) -> Mapped:
    scope, areas = territory_scope(text(raw, "territory"))
    amount = text(raw, "amount_range")
    eligible = text(raw, "eligible_structures")
    families, warnings = _eligibility(eligible)
    data = SupportOfferData(
        name=text(raw, "name"),
        sourcing_note=text(raw, "notes"),  # caveats for the staff, not a presentation
        eligibility_text=eligible,
        url=clean_website(text(raw, "url")),
        stages=stages(text(raw, "stages")),
        territory_scope=scope,
        territory_label=text(raw, "territory"),
        territory_areas=areas,
        provider_label=text(raw, "funder")[:255],
        kinds=support_kinds(f"{text(raw, 'name')} {' '.join(instruments)}"),
        cost=SupportCost.FREE if re.search(r"\bgratuit", amount, re.I) else SupportCost.UNKNOWN,
        cost_details=amount[:255],
        eligible_legal_families=families,
    )
    links = {"provider": funder_refs(text(raw, "funder"))[:1]}
    return _offer_strategies(Mapped(data, links=links, warnings=warnings), raw)


def _offer_strategies(mapped: Mapped, raw: dict) -> Mapped:
    """A support offer `mapped` with the row's scale-up strategies and their source, as a
    scheme's (`_with_scale_up`; an offer has no co-financing partner). Pure. A row naming
    none says nothing: a person's strategies stay."""
    with_strategies = _with_scale_up(replace(mapped, links={}), raw)
    unknown = with_strategies.unknown - {"co_financeable_with"}
    return replace(with_strategies, links=mapped.links, unknown=unknown)


def _eligibility(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(LegalFamily slugs, warnings) of an `eligible_structures` text; see
    `eligible_legal_families`. A text in which no phrase is known stays open to all, with a
    warning so that a person extends ELIGIBILITY_PHRASES."""
    families = eligible_legal_families(value)
    if families is None:
        warning = _("Public non reconnu, laissé ouvert à toutes les familles : %(text)s") % {
            "text": value
        }
        return (), (warning,)
    return families, ()


def eligible_legal_families(value: str) -> tuple[str, ...] | None:
    """The LegalFamily slugs an `eligible_structures` text restricts an offer to. Pure.

    Only the part before the first ";" is read: the file names who may apply there, then
    the project's conditions ("; projets créant au moins 0,8 ETP en CDI"). Returns () when
    the offer is open to all (empty text, or a phrase naming people, projects or enterprises
    of any form), None when no phrase of ELIGIBILITY_PHRASES (or only approvals) is found.
    """
    who = (split_terms(value) or [""])[0].lower().replace("\u2019", "'")
    if not who:
        return ()
    found = [
        ELIGIBILITY_PHRASES[int(m.lastgroup[1:])][1] for m in ELIGIBILITY_PATTERN.finditer(who)
    ]
    if OPEN in found:
        return ()
    families = {slug for phrase in found for slug in phrase}
    return tuple(sorted(families)) or None


def instrument_slugs(terms: list[str]) -> tuple[str, ...]:
    """FundingInstrument slugs of the `instrument` terms. Raises RowRejected if unknown."""
    slugs = set()
    for term in terms:
        head, details = term_head(term), term_details(term)
        if head not in INSTRUMENT_TERMS:
            raise RowRejected(_("Instrument inconnu : %(term)s.") % {"term": term})
        precise = [slug for words, slug in INSTRUMENT_DETAILS.items() if details.startswith(words)]
        slugs.update(precise or INSTRUMENT_TERMS[head])
    return tuple(sorted(slugs))


def stages(value: str) -> tuple[str, ...]:
    """Stage slugs of the `stages` terms. Raises RowRejected when none or one is unknown."""
    terms = split_terms(value)
    if not terms:
        raise RowRejected(_("Étape du parcours manquante (colonne stages)."))
    unknown = [term for term in terms if term_head(term) not in STAGE_TERMS]
    if unknown:
        raise RowRejected(_("Étape inconnue : %(terms)s.") % {"terms": "; ".join(unknown)})
    return tuple(sorted({STAGE_TERMS[term_head(term)] for term in terms}))


def territory_scope(value: str) -> tuple[str, tuple[str, ...]]:
    """(TerritoryScope, reference areas) of a `territory` text; ("", ()) when unknown."""
    lowered = value.strip().lower()
    for pattern, scope, areas in TERRITORY_RULES:
        if re.search(pattern, lowered):
            return scope, areas
    return "", ()


def funder_refs(value: str) -> tuple[str, ...]:
    """External ids of the seed organisations a `funder` text names (may name none)."""
    if not value:
        return ()
    return tuple(organisation_ref(name) for name in FUNDER_ALIASES.get(value, (value,)))


def support_kinds(value: str) -> tuple[str, ...]:
    """SupportKind slugs whose words appear in `value`; none when nothing is explicit."""
    lowered = value.lower()
    return tuple(
        sorted({slug for pattern, slug in SUPPORT_KIND_WORDS if re.search(pattern, lowered)})
    )


def parse_amounts(value: str) -> tuple[Decimal | None, Decimal | None]:
    """(min, max) in euros when the text states them plainly, else (None, None).

    Each clause (split on ";" and ",", outside brackets) may open with "de X à Y €" or
    "jusqu'à / plafond / maximum X €". Exactly one such clause must exist: two of them
    (figures that changed over the years) or hedged wording ("généralement", "moyen")
    leave the amounts unset, and amount_text keeps the source's words.
    """
    found = []
    for clause in (part for chunk in split_terms(value) for part in split_terms(chunk, ",")):
        lowered = clause.lower()
        if match := AMOUNT_RANGE.match(lowered):
            found.append((_euros(match[1]), _euros(match[2])))
        elif match := AMOUNT_CAP.match(lowered):
            found.append((None, _euros(match[1])))
    if len(found) != 1:
        return None, None
    return found[0]


def _euros(number: str) -> Decimal:
    return Decimal(re.sub(r"\D", "", number))
