"""PostgreSQL extensions and the French unaccented search configuration.

Written by hand so that `migrate` alone builds a complete database (STYLE rule 5).
"""

from django.contrib.postgres.operations import (
    CreateExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations

from directory import sql


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        CreateExtension("postgis"),
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(sql.CREATE_SEARCH_CONFIGURATION, sql.DROP_SEARCH_CONFIGURATION),
        migrations.RunSQL(sql.CREATE_IMMUTABLE_UNACCENT, sql.DROP_IMMUTABLE_UNACCENT),
    ]
