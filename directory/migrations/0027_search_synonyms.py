"""The ESS thesaurus of the search (directory/synonyms.py): table, rules, and its terms;
the search vectors of schemes and offers gain their eligibility text, and the words of
the typo widening those of schemes and offers.

Each concept groups terms that a person searching one of them also means: a query holding
any of them matches all of them. Written from the vocabulary of the strategy (sectors,
instruments, support kinds, legal families); a term belongs to one concept only.
Terms are written as a query's words are read: hyphens and "à" (kept as the lexeme "a" after
unaccent, and dropped from queries as a one-letter word) are left out, or the rule would
never apply; a term whose stem is another common word ("locaux" is "local", "AMI" is "amis")
is left out too.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from directory import search_sql, sql, synonyms

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
    dependencies = [("directory", "0026_source_data_dated")]

    operations = [
        migrations.RunSQL(synonyms.CREATE_SYNONYMS, synonyms.DROP_SYNONYMS),
        migrations.RunPython(fill, migrations.RunPython.noop),
        # Typo widening also knows the words of schemes and offers.
        migrations.RunSQL(
            search_sql.CREATE_SEARCH_WORDS, sql.DROP_SEARCH_WORDS + sql.CREATE_SEARCH_WORDS
        ),
        # Schemes and offers: full text on who is eligible too (the unified search). A
        # generated column cannot be altered: it is dropped with its index and added again.
        migrations.RemoveIndex(model_name="fundingscheme", name="scheme_search_idx"),
        migrations.RemoveField(model_name="fundingscheme", name="search_vector"),
        migrations.AddField(
            model_name="fundingscheme",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "name", config="french_unaccent", weight="A"
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "description", config="french_unaccent", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("french_unaccent"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "eligibility_text", config="french_unaccent", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("french_unaccent"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="fundingscheme",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="scheme_search_idx"
            ),
        ),
        migrations.RemoveIndex(model_name="supportoffer", name="support_search_idx"),
        migrations.RemoveField(model_name="supportoffer", name="search_vector"),
        migrations.AddField(
            model_name="supportoffer",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "name", config="french_unaccent", weight="A"
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "description", config="french_unaccent", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("french_unaccent"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "eligibility_text", config="french_unaccent", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("french_unaccent"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="supportoffer",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="support_search_idx"
            ),
        ),
    ]
