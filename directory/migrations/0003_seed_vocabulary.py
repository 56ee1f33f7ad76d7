"""Seeds the vocabulary of the city's ESS strategy (DESIGN.md), with stable slugs.

The terms are frozen here on purpose: a later change of vocabulary is a new migration.
Rows are created or updated on their slug.
"""

from django.db import migrations

VOCABULARY = {
    "Stage": [
        ("pre-amorcage", "Pré-amorçage", "Idée, étude de faisabilité."),
        ("amorcage", "Amorçage", "Création, démarrage de l'activité."),
        ("consolidation", "Consolidation / développement", "Structure qui se consolide."),
        ("changement-d-echelle", "Changement d'échelle", "Accroître son impact social."),
    ],
    "OrganisationKind": [
        ("accompagnement", "Accompagnement", "Structure qui accompagne les porteurs de projet."),
        ("financeur", "Financeur", "Structure qui finance des projets de l'ESS."),
        ("tiers-lieu", "Tiers-lieu", "Lieu partagé : coworking, fablab, ateliers, lieu totem."),
        ("reseau", "Réseau", "Réseau ou fédération d'acteurs de l'ESS."),
        ("entreprise-ess", "Entreprise de l'ESS", "Association, coopérative, mutuelle, ESUS..."),
        ("siae", "Structure d'insertion (SIAE)", "Insertion par l'activité économique."),
        ("collectivite", "Collectivité ou organisme public", "Collectivité, service public."),
    ],
    "LegalFamily": [
        ("association", "Association", ""),
        ("cooperative", "Coopérative", "SCOP, SCIC, CAE et autres coopératives."),
        ("mutuelle", "Mutuelle", ""),
        ("fondation", "Fondation", ""),
        ("societe-ess", "Société commerciale de l'ESS", "Dont les entreprises agréées ESUS."),
        ("autre", "Autre forme", ""),
    ],
    "ScaleUpStrategy": [
        ("diversification", "Diversification", "Élargir son offre ou ses publics."),
        ("duplication", "Duplication", "Reproduire son modèle sur un autre territoire."),
        ("fertilisation", "Fertilisation", "Essaimer son savoir-faire auprès d'autres."),
        ("cooperation", "Coopération", "Mutualiser ou coopérer avec d'autres structures."),
        ("fusion", "Fusion", "Se regrouper avec une autre structure."),
    ],
    "FundingInstrument": [
        ("subvention", "Subvention", ""),
        ("appel-a-projets", "Appel à projets", ""),
        ("pret-d-honneur", "Prêt d'honneur", "Prêt personnel à taux zéro."),
        ("pret", "Prêt bancaire ou solidaire", ""),
        ("garantie", "Garantie", ""),
        ("avance-remboursable", "Avance remboursable", ""),
        ("fonds-propres", "Apport en fonds propres", ""),
        ("quasi-fonds-propres", "Quasi-fonds propres / titres participatifs", ""),
        ("finance-participative", "Finance participative", "Crowdfunding : don, prêt."),
        ("prix-concours", "Prix ou concours", ""),
        ("commande-publique", "Commande publique", ""),
    ],
    "SupportKind": [
        ("information-orientation", "Information et orientation", ""),
        ("incubation", "Incubation", ""),
        ("acceleration", "Accélération", ""),
        ("dla", "Dispositif local d'accompagnement (DLA)", ""),
        ("conseil-expertise", "Conseil et expertise", ""),
        ("formation", "Formation", ""),
        ("mentorat", "Mentorat", ""),
        ("hebergement-cae", "Hébergement juridique (CAE)", "Coopérative d'activité et d'emploi."),
        ("mise-en-reseau", "Mise en réseau", ""),
        ("locaux", "Hébergement physique (locaux)", ""),
    ],
}

# Filières named by the strategy, with the NAF codes (or their first digits) that belong to
# them without doubt. A sector with no prefix is assigned by people or by its source.
SECTORS = [
    ("alimentation-durable", "Alimentation durable et agriculture urbaine", ["01", "10", "47.2"]),
    ("velo-mobilites", "Vélo et mobilités douces", ["30.92"]),
    ("soin-aide-personnes", "Soin et aide aux personnes", ["86", "87", "88.10"]),
    ("reemploi-economie-circulaire", "Réemploi, réparation, économie circulaire",
     ["38", "47.79", "95"]),
    ("ecoconstruction", "Écoconstruction et éco-rénovation", []),
    ("textile", "Textile", ["13", "14"]),
    ("culture", "Culture", ["59.1", "90", "91"]),
    ("iae", "Insertion par l'activité économique (IAE)", []),
    ("finance-solidaire", "Finance solidaire", ["64", "65", "66"]),
    ("numerique", "Numérique", ["58.2", "62", "63"]),
    ("education-jeunesse", "Éducation, jeunesse", ["85", "88.91"]),
    ("sport-loisirs", "Sport et loisirs", ["93"]),
    ("habitat-logement", "Habitat, logement", ["68"]),
    ("environnement", "Environnement", ["39", "81.30"]),
]


def seed(apps, schema_editor):
    for model_name, terms in VOCABULARY.items():
        model = apps.get_model("directory", model_name)
        for position, (slug, name, description) in enumerate(terms, start=1):
            model.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "description": description, "position": position},
            )
    sector = apps.get_model("directory", "Sector")
    for position, (slug, name, naf_prefixes) in enumerate(SECTORS, start=1):
        sector.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position, "naf_prefixes": naf_prefixes}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
