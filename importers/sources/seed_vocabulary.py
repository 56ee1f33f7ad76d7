"""The decision tables of the `seed` source (importers.sources.seed): how the free-text
vocabularies of lille-ess-seed become taxonomy slugs, legal families, territories and
amounts. A term missing from a table rejects its row, so that a person extends the table
rather than the importer guessing.
"""

import re

from directory.models import TerritoryScope as Scope

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
ELIGIBILITY_PATTERN = re.compile(
    "|".join(
        rf"\b(?P<p{i}>{pattern})\b" for i, (pattern, _families) in enumerate(ELIGIBILITY_PHRASES)
    )
)
#: An amount in euros as the file writes it: "30 000" (spaces may be non-breaking).
_NUMBER = r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})*|\d+)"
_LEAD = r"^(?:(?:avance remboursable|prêts?|prime) )?"
AMOUNT_RANGE = re.compile(_LEAD + r"de " + _NUMBER + r" à " + _NUMBER + r" €")
AMOUNT_CAP = re.compile(_LEAD + r"(?:jusqu'à|plafond|maximum) " + _NUMBER + r" €")

#: `scale_up_strategies` terms (Avise's five scale-up strategies) -> ScaleUpStrategy slugs.
STRATEGY_TERMS = {
    "diversification": "diversification",
    "duplication": "duplication",
    "fertilisation": "fertilisation",
    "coopération": "cooperation",
    "cooperation": "cooperation",
    "fusion": "fusion",
}
