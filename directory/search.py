"""Database pieces of French full-text and fuzzy search, and how a query is folded for them.

The text-search configuration and the IMMUTABLE unaccent wrapper are created by the migration
`directory/migrations/0001_search_extensions.py`; this module only names them for the ORM.
"""

import re
import unicodedata

from django.db.models import Func, TextField

#: French stemming after accents are removed: "coopérative" and "cooperative" match.
SEARCH_CONFIG = "french_unaccent"
WORD = re.compile(r"\w+")


class ImmutableUnaccent(Func):
    """`cartess_unaccent(text)`: unaccent() declared IMMUTABLE, so it can sit in an index."""

    function = "cartess_unaccent"
    output_field = TextField()


def fold(text: str) -> str:
    """Lower case without accents, as the trigram index stores names ("Vélo" -> "velo")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_words(text: str) -> list[str]:
    """The words of a search, folded, that become prefixes of the full-text query.

    "L'Atelier du Vélo" -> ["atelier", "du", "velo"]. Only word characters reach
    `to_tsquery` (bound as an array, assembled in SQL), so no input can break its syntax;
    one-letter words ("l'", "d'") would be a prefix of almost every word and are dropped.
    """
    return [word for word in WORD.findall(fold(text)) if len(word) > 1]
