"""The ESS thesaurus kept by moderators in the admin: a Django model over the table of
migration 0027 (unmanaged: no change to the database), and the moderators' permissions on it.
The typo dictionary `directory_search_word` becomes a table (it was a materialized view), so
that an edit adds the words it brings without recomputing the whole directory's.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from directory import search_sql

SYNONYM_PERMISSIONS = [
    f"{action}_searchsynonym" for action in ("view", "add", "change", "delete")
]


def grant_moderators(apps, schema_editor):
    # Permissions are normally created after the last migration; the group needs them now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Modérateurs")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="directory", codename__in=SYNONYM_PERMISSIONS
        )
    )


def revoke_moderators(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="directory", codename__in=SYNONYM_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0030_provenance_sightings'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('concept', models.TextField(help_text='Un mot court qui nomme le groupe, par exemple « velo » ou « reemploi ».', verbose_name='concept')),
                ('term', models.TextField(help_text="Un mot ou une expression tels qu'on les tape dans la recherche, par exemple « trottinette » ou « seconde main ».", unique=True, verbose_name='terme')),
            ],
            options={
                'verbose_name': 'synonyme de la recherche',
                'verbose_name_plural': 'synonymes de la recherche',
                'db_table': 'directory_search_synonym',
                'ordering': ['concept', 'term'],
                'managed': False,
            },
        ),
        migrations.RunPython(grant_moderators, revoke_moderators),
        migrations.RunSQL(
            search_sql.SEARCH_WORDS_VIEW_TO_TABLE, search_sql.SEARCH_WORDS_TABLE_TO_VIEW
        ),
    ]
