"""`seed`: the curated organisations and funding schemes of Lille's ESS (lille-ess-seed).

Two files, read in this order: organisations.csv, then funding_schemes.csv (schemes link
to the organisations that fund or run them). Every value is sourced, and "an empty cell
means no source was found" (README.md of the data): nothing is filled in that the file
does not say. The free-text vocabularies of the file are mapped to the taxonomy slugs by the
decision tables below; a term missing from a table rejects the row, so that a person
extends the table rather than the importer guessing.
"""

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import EssStatus, EssStatusSource, GeocodingQuality, SupportCost
from directory.models import TerritoryScope as Scope
from directory.services import FundingSchemeData, OrganisationData, SupportOfferData
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.mapping import (
    clean_postcode,
    clean_siret,
    clean_website,
    point_from_lon_lat,
    required_text,
    split_terms,
    term_details,
    term_head,
    text,
)
from importers.io.readers import csv_rows

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

# --- Organisations -------------------------------------------------------------------------

#: `kind` term -> OrganisationKind slugs. Support-like roles all become "accompagnement":
#: incubators, CAE (they host and coach entrepreneurs), resource places (MESS, Maison des
#: associations), training and research (training is a support kind of the DESIGN) and the
#: Maison de l'emploi (it coaches entrepreneurs on hiring). A cooperative, a foundation or a
#: PTCE is an ESS enterprise by its statute or its purpose.
KIND_TERMS = {
    "financement": ("financeur",),
    "accompagnement": ("accompagnement",),
    "incubateur": ("accompagnement",),
    "cae": ("accompagnement",),
    "lieu-ressource": ("accompagnement",),
    "recherche-formation": ("accompagnement",),
    "emploi": ("accompagnement",),
    "réseau": ("reseau",),
    "tiers-lieu": ("tiers-lieu",),
    "collectivité": ("collectivite",),
    "coopérative": ("entreprise-ess",),
    "fondation": ("entreprise-ess",),
    "ptce": ("entreprise-ess",),
}
#: `kind` terms that state a legal family.
LEGAL_FAMILY_TERMS = {"coopérative": "cooperative", "cae": "cooperative", "fondation": "fondation"}
#: Openings of the name or summary that state a legal family ("Association créée en 2000",
#: "Coopérative bancaire", "SCIC créée en 2010"). "Chaire associative" states none.
LEGAL_FAMILY_OPENINGS = re.compile(
    r"^(?P<association>association\b)|^(?P<cooperative>(société )?coopérative\b|scic\b|scop\b)"
    r"|^(?P<fondation>fondation\b)|^(?P<mutuelle>mutuelle\b)",
    re.IGNORECASE,
)
#: Legal families that are ESS by statute (loi du 31 juillet 2014, article 1).
ESS_BY_STATUTE = {"association", "cooperative", "mutuelle", "fondation"}
#: Communes of the territory as the file writes them -> INSEE code of the commune (Lomme and
#: Hellemmes are communes associées of Lille, code 59350, as BAN answers).
TERRITORY_COMMUNES = {"lille": "59350", "lomme": "59350", "hellemmes": "59350"}

# --- Funding schemes and support offers ----------------------------------------------------

#: Head of an `instrument` term -> FundingInstrument slugs. "accompagnement" is support,
#: not money: a row whose only instrument it is becomes a support offer.
INSTRUMENT_TERMS = {
    "subvention": ("subvention",),
    "prêt": ("pret",),
    "prêt d'honneur": ("pret-d-honneur",),
    "garantie": ("garantie",),
    "fonds propres": ("fonds-propres",),
    "quasi-fonds propres": ("quasi-fonds-propres",),
    "fonds propres/quasi-fonds propres": ("fonds-propres", "quasi-fonds-propres"),
    "financement participatif": ("finance-participative",),
    "accompagnement": (),
}
SUPPORT_ONLY = "accompagnement"
#: Bracketed details that name a more precise instrument: "prêt (avance remboursable)".
INSTRUMENT_DETAILS = {"avance remboursable": "avance-remboursable"}
#: Head of a `stages` term -> Stage slug. "création" and "reprise" start an activity.
STAGE_TERMS = {
    "pré-amorçage": "pre-amorcage",
    "amorçage": "amorcage",
    "création": "amorcage",
    "reprise": "amorcage",
    "consolidation": "consolidation",
    "développement": "consolidation",
    "consolidation/développement": "consolidation",
    "changement d'échelle": "changement-d-echelle",
}
#: `territory` text -> scope and areas; first match wins. A text naming two levels takes
#: the first one ("Nord / Hauts-de-France"); "X puis Y" takes Y, where the offer grew to.
LILLE = ("commune:59350",)
TERRITORY_RULES = (
    (r"^lille et autres villes du nord", Scope.DEPARTEMENT, ()),
    (r"^lille\b", Scope.COMMUNE, LILLE),
    (r"\bpuis hauts-de-france", Scope.REGION, ()),
    (r"^(métropole européenne de lille|mel)\b", Scope.EPCI, ()),
    (r"^nord-pas-de-calais", Scope.REGION, ()),
    (r"^nord\b", Scope.DEPARTEMENT, ()),
    (r"^(hauts-de-france|régional)", Scope.REGION, ()),
    (r"^(france|national)\b", Scope.NATIONAL, ()),
)
#: Funders as the schemes file writes them -> organisations.csv names. Only where the text
#: itself names the organisation (e.g. "via Nord Actif"); "France Active" alone is the
#: national network, not Nord Actif, so it links to nothing. Other funders are matched on
#: their exact name; every text stays in funders_label whatever the match.
FUNDER_ALIASES = {
    "Nord Actif (réseau France Active)": ("Nord Actif (France Active Nord)",),
    "France Active (Nord Actif dans le Nord)": ("Nord Actif (France Active Nord)",),
    "France Active Garantie (via Nord Actif)": ("Nord Actif (France Active Nord)",),
    "clubs Cigales (Association régionale des Cigales Hauts-de-France)": (
        "Association régionale des Cigales Hauts-de-France",
    ),
    "Région Hauts-de-France (avec la CRESS)": (
        "Région Hauts-de-France",
        "CRESS Hauts-de-France (Chambre régionale de l'économie sociale et solidaire)",
    ),
    # The scheme's own name names both platforms.
    "plateformes Initiative France": (
        "Initiative Lille Métropole Sud",
        "Initiative Lille Métropole Nord",
    ),
    "Lille Métropole Innovation (réseau Initiative Hauts-de-France)": (
        "Lille Métropole Innovation (LMI)",
    ),
    "Adie Hauts-de-France": ("Adie Hauts-de-France (agence de Lille)",),
    "Initiatives et Cité": ("Initiatives et Cité (initiativesETcité)",),
}
#: Words of a support offer's name or instrument -> SupportKind slug. A couveuse lends its
#: SIRET to the person testing an activity: a legal hosting, like a CAE.
SUPPORT_KIND_WORDS = (
    (r"\bincubat", "incubation"),
    (r"\baccélérat", "acceleration"),
    (r"\bdla\b|dispositif local d'accompagnement", "dla"),
    (r"\bcouveuse|test d'activité", "hebergement-cae"),
    (r"\bmentorat|\bparrain", "mentorat"),
    (r"\bformation\b", "formation"),
)
#: The five legal families of the ESS (loi du 31 juillet 2014, article 1): associations,
#: cooperatives, mutuelles, foundations and the commercial companies that meet its
#: conditions, ESUS-approved ones included.
ESS_FAMILIES = ("association", "cooperative", "fondation", "mutuelle", "societe-ess")
#: A phrase that names people, projects or enterprises of any form: no legal-family
#: restriction, so the offer stays open to all (an empty list), whatever else the text says.
OPEN = None
#: A phrase that names an approval, not a legal form: it neither opens nor restricts.
NO_FAMILY = ()
#: Who may apply, as `eligible_structures` words it -> LegalFamily slugs (OPEN, NO_FAMILY).
#: The families of all the phrases found are added up; one OPEN phrase leaves the offer
#: open. At each position of the text the phrases are tried in this order, so a precise
#: phrase wins over a general one that starts alike ("entreprises de l'ESS" before
#: "entreprises"). Words outside the table ("employeuses", "en difficulté") are conditions
#: and are ignored; eligibility_text keeps them all. No row restricts a filière, so offers
#: keep `sectors` empty: the couveuse's "hors médical, bâtiment, automobile" excludes trades
#: the filières do not match one to one, and cowfunding's "liés au handicap ou créatifs"
#: stands beside "projets d'économie solidaire".
ELIGIBILITY_PHRASES = (
    # "structures de l'ESS", "structures ESS", "entreprises de l'ESS": the ESS by the law.
    (r"(?:structures|entreprises) (?:de l'|d')?ess", ESS_FAMILIES),
    # The "entreprise solidaire" approval became ESUS in 2014; those who held it were
    # associations, cooperatives, mutuelles, foundations or ESUS companies (FRIS, DLA).
    (r"entreprises solidaires", ESS_FAMILIES),
    # "entreprises commerciales agréées ESUS", "sociétés agréées ESUS".
    (r"(?:entreprises|sociétés)(?: commerciales)? agréées esus", ("societe-ess",)),
    # A CAE is a cooperative: its entrepreneurs work as its employees (Cigales).
    (r"entrepreneurs salariés de cae", ("cooperative",)),
    # "coopératives", "SCOP/SCIC", "SCOP, SCIC".
    (r"coopératives?|scop|scic|cae", ("cooperative",)),
    # "associations", "associations employeuses", "associations ayant une activité
    # économique": the qualifiers are conditions, the family is association.
    (r"associations?", ("association",)),
    # A project named by the form it will take (Pacte Émergence): an association.
    (r"(?:porteurs de )?projets associatifs", ("association",)),
    (r"mutuelles?", ("mutuelle",)),
    (r"fondations?", ("fondation",)),
    # "sociétés (SARL, SAS, SA, SCOP, SCIC)", "sociétés (SA, SAS, SARL…)": companies with a
    # share capital, cooperatives among them; associations, mutuelles and foundations are
    # not sociétés.
    (r"sociétés", ("cooperative", "societe-ess", "autre")),
    # SIAE, EA/ESAT, GE/GEIQ are approvals held by associations, cooperatives or companies
    # (named beside them in the Région's lists), not legal forms.
    (r"siae|ea|esat|ge|geiq", NO_FAMILY),
    # Enterprises in general ("de tout statut", "toutes entreprises au sens européen",
    # "petites et moyennes entreprises"): an association is an enterprise too.
    (r"entreprises?", OPEN),
    # People and projects ("créateurs et repreneurs", "porteurs de projets ESS", "projets
    # innovants"): a project's purpose is judged by a jury; it is not a legal form.
    (
        r"créateurs|repreneurs|entrepreneurs|porteurs|personnes|demandeurs d'emploi|projets?",
        OPEN,
    ),
)
_ELIGIBILITY = re.compile(
    "|".join(
        rf"\b(?P<p{i}>{pattern})\b" for i, (pattern, _families) in enumerate(ELIGIBILITY_PHRASES)
    )
)
#: An amount in euros as the file writes it: "30 000" (spaces may be non-breaking).
_NUMBER = r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})*|\d+)"
_LEAD = r"^(?:(?:avance remboursable|prêts?|prime) )?"
AMOUNT_RANGE = re.compile(_LEAD + r"de " + _NUMBER + r" à " + _NUMBER + r" €")
AMOUNT_CAP = re.compile(_LEAD + r"(?:jusqu'à|plafond|maximum) " + _NUMBER + r" €")


class SeedSource(ImportSource):
    slug = "seed"
    #: 2: support offers keep who they are for in `eligibility_text` (was in the description).
    mapping_version = 2
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

    def read(self, path: Path) -> Iterator[RawRow]:
        """Both files of a folder, organisations first; or one file named after its table."""
        for table in self._tables(path):
            file = path / f"{table}.csv" if path.is_dir() else path
            yield from csv_rows(file, columns=COLUMNS[table], table=table)

    def _tables(self, path: Path) -> tuple[str, ...]:
        if path.is_dir():
            return (ORGANISATIONS, SCHEMES)
        if path.stem in COLUMNS:
            return (path.stem,)
        raise ImportFailed(
            _("Donnez le dossier de organisations.csv et funding_schemes.csv, ou l'un d'eux.")
        )

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
    """An organisations.csv row -> OrganisationData. Pure.

    Raises RowRejected when the name or kind is missing or unknown, when only one
    coordinate is given or the point is outside France, or when the SIREN/SIRET is invalid.
    """
    name = required_text(raw, "name", _("Nom"))
    terms = [term.lower() for term in split_terms(text(raw, "kind"))]
    kinds = organisation_kinds(terms)
    family = legal_family(terms, name, text(raw, "summary"))
    point = point_from_lon_lat(text(raw, "longitude"), text(raw, "latitude"))
    website = clean_website(text(raw, "website"))
    data = OrganisationData(
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
        location=point,
        geocoding_quality=GeocodingQuality.SOURCE if point else "",
        website=website,
    )
    warnings = () if website or not text(raw, "website") else (_("site web invalide ignoré"),)
    return Mapped(data, warnings=warnings)


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
        description=text(raw, "notes"),
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
    return Mapped(data, links=links, warnings=warnings)


def _support_offer(raw: dict, instruments: list[str]) -> Mapped:
    scope, areas = territory_scope(text(raw, "territory"))
    amount = text(raw, "amount_range")
    eligible = text(raw, "eligible_structures")
    families, warnings = _eligibility(eligible)
    data = SupportOfferData(
        name=text(raw, "name"),
        description=text(raw, "notes"),
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
    return Mapped(data, links=links, warnings=warnings)


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
    found = [ELIGIBILITY_PHRASES[int(m.lastgroup[1:])][1] for m in _ELIGIBILITY.finditer(who)]
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
