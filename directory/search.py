"""Database pieces of French full-text and fuzzy search.

The text-search configuration and the IMMUTABLE unaccent wrapper are created by the migration
`directory/migrations/0001_search_extensions.py`; this module only names them for the ORM.
"""

from django.db.models import Func, TextField

#: French stemming after accents are removed: "coopérative" and "cooperative" match.
SEARCH_CONFIG = "french_unaccent"


class ImmutableUnaccent(Func):
    """`cartess_unaccent(text)`: unaccent() declared IMMUTABLE, so it can sit in an index."""

    function = "cartess_unaccent"
    output_field = TextField()
