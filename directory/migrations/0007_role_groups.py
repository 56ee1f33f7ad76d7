"""The role groups "Éditeurs de réseau" and "Modérateurs" (city staff: cartography 0004).

A network editor's reach is not a permission: it is the NetworkEditor rows linking the person
to networks. Moderators review suggestions and revert changes; to revert in the admin they
also need "statut équipe" (is_staff), which an administrator ticks on their account.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Éditeurs de réseau": [],
    "Modérateurs": [
        ("directory", "moderate_organisation"),
        ("directory", "view_organisation"),
        ("directory", "change_organisation"),
        ("directory", "view_fundingscheme"),
        ("directory", "change_fundingscheme"),
        ("directory", "view_supportoffer"),
        ("directory", "change_supportoffer"),
        ("cartography", "view_premises"),
        ("cartography", "change_premises"),
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cartography", "0004_city_services_group"),
        ("directory", "0006_network_editors"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
