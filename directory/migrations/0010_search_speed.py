from django.db import migrations


class Migration(migrations.Migration):
    """Placeholder reserved for the search-speed work (issue 4); filled or removed by the lead."""

    dependencies = [("directory", "0009_suggestions")]

    operations = []
