"""The SIREN and commune indexes hold only the listings with a value (issue 20).

In a directory without any SIREN (or commune), the planner estimated a join on the value at
every row and scanned the table once per listing an import run changed: 178 ms each at
1,000,000 organisations, in the duplicate search after a run. Partial, the index is chosen
for those joins (which say `<> ''`) and for every query on a value, and is smaller.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0042_place_service_names_kept"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="organisation",
            name="organisation_siren_idx",
        ),
        migrations.RemoveIndex(
            model_name="organisation",
            name="organisation_insee_idx",
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                condition=models.Q(("siren", ""), _negated=True),
                fields=["siren"],
                name="organisation_siren_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                condition=models.Q(("insee_code", ""), _negated=True),
                fields=["insee_code"],
                name="organisation_insee_idx",
            ),
        ),
    ]
