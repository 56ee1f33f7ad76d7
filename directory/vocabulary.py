"""The slugs of the taxonomies, as the migrations seed them (0003_seed_vocabulary): the
values the API accepts and its OpenAPI schema lists as enums. A new term is a migration and
a line here; `tests/directory/test_api_schema.py` checks both say the same."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

STAGES = ("pre-amorcage", "amorcage", "consolidation", "changement-d-echelle")
ORGANISATION_KINDS = (
    "accompagnement",
    "financeur",
    "tiers-lieu",
    "reseau",
    "entreprise-ess",
    "siae",
    "collectivite",
)
LEGAL_FAMILIES = ("association", "cooperative", "mutuelle", "fondation", "societe-ess", "autre")
SECTORS = (
    "alimentation-durable",
    "velo-mobilites",
    "soin-aide-personnes",
    "reemploi-economie-circulaire",
    "ecoconstruction",
    "textile",
    "culture",
    "iae",
    "finance-solidaire",
    "numerique",
    "education-jeunesse",
    "sport-loisirs",
    "habitat-logement",
    "environnement",
)
FUNDING_INSTRUMENTS = (
    "subvention",
    "appel-a-projets",
    "pret-d-honneur",
    "pret",
    "garantie",
    "avance-remboursable",
    "fonds-propres",
    "quasi-fonds-propres",
    "finance-participative",
    "prix-concours",
    "commande-publique",
)
SUPPORT_KINDS = (
    "information-orientation",
    "incubation",
    "acceleration",
    "dla",
    "conseil-expertise",
    "formation",
    "mentorat",
    "hebergement-cae",
    "mise-en-reseau",
    "locaux",
)
SCALE_UP_STRATEGIES = ("diversification", "duplication", "fertilisation", "cooperation", "fusion")


def terms_unknown_message(*, name: str, values: Iterable[str], terms: Iterable[str]) -> str:
    """A French message naming the `values` of the parameter `name` that are not among
    `terms`, with the values allowed; "" when every value is a term."""
    allowed = list(terms)
    unknown = [value for value in values if value not in allowed]
    if not unknown:
        return ""
    return _("« %(values)s » n'existe pas pour %(name)s ; valeurs possibles : %(terms)s.") % {
        "values": ", ".join(unknown),
        "name": name,
        "terms": ", ".join(allowed),
    }
