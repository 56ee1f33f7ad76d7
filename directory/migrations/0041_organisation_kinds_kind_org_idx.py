"""The organisations of a kind read from one index (issue 20).

The link table `directory_organisation_kinds` is Django's own (a ManyToManyField without a
`through` model), so its index is declared here in SQL. `(organisationkind_id,
organisation_id)` answers "which organisations are tiers-lieux" from the index alone: the
places of a national directory (3,469 among 1,000,000) were read from 3,080 pages of the
table, 9 of /lieux/'s count's 28 ms; with this index, 0.3 ms, and the count 12.6 ms. It costs
one more entry per kind link written (about 30 MB at 1,330,000 links).
"""

from django.db import migrations

INDEX = "organisation_kinds_kind_org_idx"


class Migration(migrations.Migration):
    dependencies = [("directory", "0040_organisation_extent_idx")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON directory_organisation_kinds "
            "(organisationkind_id, organisation_id)",
            reverse_sql=f"DROP INDEX {INDEX}",
        )
    ]
