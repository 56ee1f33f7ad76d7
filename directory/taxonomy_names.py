"""The names of the seeded vocabularies, for the catalogues: a page in English shows them
translated (Taxonomy.label). Names added later in the admin show as typed."""

from django.utils.translation import gettext_noop

SEEDED_NAMES = (
    # directory_organisationkind
    gettext_noop("Accompagnement"),
    gettext_noop("Financeur"),
    gettext_noop("Tiers-lieu"),
    gettext_noop("Réseau"),
    gettext_noop("Entreprise de l'ESS"),
    gettext_noop("Structure d'insertion (SIAE)"),
    gettext_noop("Collectivité ou organisme public"),
    # directory_stage
    gettext_noop("Pré-amorçage"),
    gettext_noop("Amorçage"),
    gettext_noop("Consolidation / développement"),
    gettext_noop("Changement d'échelle"),
    # directory_sector
    gettext_noop("Alimentation durable et agriculture urbaine"),
    gettext_noop("Vélo et mobilités douces"),
    gettext_noop("Soin et aide aux personnes"),
    gettext_noop("Réemploi, réparation, économie circulaire"),
    gettext_noop("Écoconstruction et éco-rénovation"),
    gettext_noop("Textile"),
    gettext_noop("Culture"),
    gettext_noop("Insertion par l'activité économique (IAE)"),
    gettext_noop("Finance solidaire"),
    gettext_noop("Numérique"),
    gettext_noop("Éducation, jeunesse"),
    gettext_noop("Sport et loisirs"),
    gettext_noop("Habitat, logement"),
    gettext_noop("Environnement"),
    # directory_fundinginstrument
    gettext_noop("Subvention"),
    gettext_noop("Appel à projets"),
    gettext_noop("Prêt d'honneur"),
    gettext_noop("Prêt bancaire ou solidaire"),
    gettext_noop("Garantie"),
    gettext_noop("Avance remboursable"),
    gettext_noop("Apport en fonds propres"),
    gettext_noop("Quasi-fonds propres / titres participatifs"),
    gettext_noop("Finance participative"),
    gettext_noop("Prix ou concours"),
    gettext_noop("Commande publique"),
    # directory_supportkind
    gettext_noop("Information et orientation"),
    gettext_noop("Incubation"),
    gettext_noop("Accélération"),
    gettext_noop("Dispositif local d'accompagnement (DLA)"),
    gettext_noop("Conseil et expertise"),
    gettext_noop("Formation"),
    gettext_noop("Mentorat"),
    gettext_noop("Hébergement juridique (CAE)"),
    gettext_noop("Mise en réseau"),
    gettext_noop("Hébergement physique (locaux)"),
    # directory_legalfamily
    gettext_noop("Association"),
    gettext_noop("Coopérative"),
    gettext_noop("Mutuelle"),
    gettext_noop("Fondation"),
    gettext_noop("Société commerciale de l'ESS"),
    gettext_noop("Autre forme"),
    # directory_scaleupstrategy
    gettext_noop("Diversification"),
    gettext_noop("Duplication"),
    gettext_noop("Fertilisation"),
    gettext_noop("Coopération"),
    gettext_noop("Fusion"),
)
