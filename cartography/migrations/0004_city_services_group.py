"""The "Services de la Ville" group, allowed into the land workspace (/foncier/)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Services de la Ville"
#: (app_label, codename) of what the group may do.
PERMISSIONS = [
    ("cartography", "access_land_workspace"),
    ("cartography", "view_premises"),
    ("cartography", "add_premises"),
    ("cartography", "change_premises"),
    ("cartography", "view_premisesneed"),
    ("cartography", "change_premisesneed"),
    ("cartography", "view_thirdplaceoffer"),
    ("cartography", "change_thirdplaceoffer"),
    ("cartography", "add_thirdplaceoffer"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after the last migration; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cartography", "0003_land_workspace"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
