"""INSEE catégories juridiques -> the legal families of the loi ESS of 31 July 2014.

The code is SIRENE's `categorieJuridiqueUniteLegale` (the `nature_juridique` of the API
Recherche d'entreprises), level III, four digits. The table follows INSEE's nomenclature
of catégories juridiques:

- 92xx associations (9210 non déclarée, 9220 déclarée, 9221 d'insertion, 9222
  intermédiaire, 9223 groupement d'employeurs, 9230 reconnue d'utilité publique, 9240
  congrégation, 9260 de droit local...) -> `association`;
- 9300 fondation -> `fondation`;
- 82xx organismes mutualistes (8210 mutuelle, 8250 assurance mutuelle, 8290 autre) ->
  `mutuelle`;
- cooperative companies: SARL 5451-5460 (5458 SCOP), SA 5551-5560 (5558 SCOP) and
  5651-5660 (5658 SCOP), SA coopérative de production d'HLM 5547/5647, and the
  agricultural ones 6316 (CUMA), 6317 (société coopérative agricole), 6318 (union)
  -> `cooperative`. A SCIC or a SCOP in SAS form is plain 5710 in SIRENE: it cannot be
  told from any SAS by its code;
- any other company (1xxx-6xxx) is a `societe-ess` only with a proof that it belongs to
  the ESS (SIRENE's ESS flag, the ESS France list, an ESUS agreement); without one it is
  `autre`;
- everything else (public bodies, comités d'entreprise, syndicats...) -> `autre`.
"""

ASSOCIATION_PREFIX = "92"
MUTUAL_PREFIX = "82"
FOUNDATION = "9300"
COOPERATIVES = frozenset(
    {
        *(str(code) for code in range(5451, 5461)),
        *(str(code) for code in range(5551, 5561)),
        *(str(code) for code in range(5651, 5661)),
        "5547",
        "5647",
        "6316",
        "6317",
        "6318",
    }
)
#: Worker cooperatives (SCOP), in SARL and SA forms.
SCOP = frozenset({"5458", "5558", "5658"})
#: First digits of the codes of companies (commercial or civil), which may be ESS companies.
COMPANY_PREFIXES = ("5", "6")


def legal_family_for(code: str, *, ess_proof: bool) -> str:
    """The LegalFamily slug of an INSEE catégorie juridique ("" for an empty code). Pure.

    `ess_proof`: another source says the unit belongs to the ESS; only then is a company
    outside the statutory families a `societe-ess`.
    """
    code = code.strip()
    if not code:
        return ""
    if code.startswith(ASSOCIATION_PREFIX):
        return "association"
    if code == FOUNDATION:
        return "fondation"
    if code.startswith(MUTUAL_PREFIX):
        return "mutuelle"
    if code in COOPERATIVES:
        return "cooperative"
    if code.startswith(COMPANY_PREFIXES) and ess_proof:
        return "societe-ess"
    return "autre"


def legal_form_label(code: str) -> str:
    """A short legal form for the codes worth naming (SCOP), else ""."""
    return "SCOP" if code in SCOP else ""
