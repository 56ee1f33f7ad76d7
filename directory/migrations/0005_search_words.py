"""The dictionary of words the directory search corrects typos against.

A materialized view over directory_organisation (name, acronym, description): a later
migration that changes the type of one of those columns must drop and recreate it.
"""

from django.db import migrations

from directory import sql


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_organisation_name_sort_idx")]

    operations = [migrations.RunSQL(sql.CREATE_SEARCH_WORDS, sql.DROP_SEARCH_WORDS)]
