"""The ESS thesaurus of the search (directory/synonyms.py): table, rules, and its terms.

Each concept groups terms that a person searching one of them also means: a query holding
any of them matches all of them. Written from the vocabulary of the strategy (sectors,
instruments, support kinds, legal families); a term belongs to one concept only.
Terms are written as a query's words are read: hyphens and "à" (kept as the lexeme "a" after
unaccent, and dropped from queries as a one-letter word) are left out, or the rule would
never apply; a term whose stem is another common word ("locaux" is "local", "AMI" is "amis")
is left out too.
"""

from django.db import migrations

from directory import synonyms

THESAURUS = {
    "velo": ["vélo", "cycle", "bicyclette", "cyclologistique", "mobilités douces"],
    "reemploi": [
        "réemploi",
        "ressourcerie",
        "recyclerie",
        "seconde main",
        "réutilisation",
        "économie circulaire",
    ],
    "reparation": ["réparation", "repair café", "réparer"],
    "pret": ["prêt", "emprunt", "crédit", "microcrédit"],
    "cooperative": ["coopérative", "SCOP", "SCIC", "CAE"],
    "dla": ["DLA", "dispositif local d'accompagnement"],
    "insertion": [
        "insertion",
        "SIAE",
        "IAE",
        "chantier d'insertion",
    ],
    "ess": ["ESS", "économie sociale et solidaire"],
    "subvention": ["subvention", "dotation"],
    "financement-participatif": [
        "financement participatif",
        "finance participative",
        "crowdfunding",
    ],
    "fonds-propres": ["fonds propres", "capital", "titres participatifs"],
    "garantie": ["garantie", "caution"],
    "tiers-lieu": ["tiers lieu", "coworking", "fablab"],
    "incubation": ["incubateur", "pépinière", "accélérateur"],
    "alimentation": [
        "alimentation",
        "alimentaire",
        "épicerie solidaire",
        "circuit court",
        "AMAP",
    ],
    "aide-personne": [
        "aide domicile",
        "aide aux personnes",
        "services personne",
        "personnes âgées",
    ],
    "ecoconstruction": ["écoconstruction", "éco rénovation", "rénovation énergétique"],
    "textile": ["textile", "couture", "vêtement", "habillement"],
    "numerique": ["numérique", "informatique", "digital"],
    "appel-projets": ["appel projets", "AAP", "appel manifestation intérêt"],
    "logement": ["logement", "habitat"],
}


def fill(apps, schema_editor):
    rows = [(concept, term) for concept, terms in THESAURUS.items() for term in terms]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(synonyms.INSERT_SYNONYM, rows)


class Migration(migrations.Migration):
    dependencies = [("directory", "0023_organisation_geography_nearest_index")]

    operations = [
        migrations.RunSQL(synonyms.CREATE_SYNONYMS, synonyms.DROP_SYNONYMS),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
