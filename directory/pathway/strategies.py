"""The five scale-up strategies in plain words, for a holder who does not know which one
is theirs ("je ne sais pas" on the pathway's form).

Short, neutral sentences after the typology Avise uses for changement d'échelle; keyed by
the ScaleUpStrategy slugs seeded by directory's migration 0003.
"""

from django.utils.translation import gettext_lazy as _

#: The form's answer "je ne sais pas": no ranking by strategy, the explanations instead.
UNSURE = "je-ne-sais-pas"

EXPLANATIONS = {
    "diversification": _(
        "Diversification : développer de nouvelles activités, de nouveaux services ou "
        "toucher de nouveaux publics, au sein de la même structure."
    ),
    "duplication": _(
        "Duplication : reproduire son projet sur un autre territoire, en y ouvrant un "
        "nouvel établissement ou une nouvelle structure liée à la première."
    ),
    "fertilisation": _(
        "Fertilisation : transmettre son modèle ou son savoir-faire à d'autres acteurs, "
        "qui le mettent en œuvre de façon autonome."
    ),
    "cooperation": _(
        "Coopération : s'allier avec d'autres structures (mutualisation, groupement, "
        "partenariat durable) pour agir ensemble à plus grande échelle."
    ),
    "fusion": _(
        "Fusion : regrouper deux structures ou plus en une seule pour unir leurs activités."
    ),
}
