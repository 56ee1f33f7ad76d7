"""The date a source gives its data, read from the data itself (Source.data_dated).

A source whose rows carry the day they were last updated at the source (SIRENE's
`dateDernierTraitementEtablissement`, the Recherche d'entreprises API's
`date_mise_a_jour*`) says so (ImportSource.data_day); the run keeps the latest real day
that is not in the future, and a successful run that is not a dry run writes the source's
label ("SIRENE au 1er novembre 2026") and records the day in its parameters. The import
date stays in the provenance.
"""

import re
from datetime import date

from django.utils import formats, timezone, translation

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class LatestDay:
    """The latest day offered so far, as ISO text ("" while none)."""

    __slots__ = ("_today", "day")

    def __init__(self) -> None:
        self.day = ""
        self._today = timezone.localdate().isoformat()

    def offer(self, value: object) -> None:
        """Keep `value`'s day (an ISO date or timestamp) when it is a real day, later than
        the one kept and not in the future; ignore anything else. Cheap for an older one:
        it runs for every line of a national file."""
        if not isinstance(value, str):
            return
        day = value[:10]
        if self.day < day <= self._today and _ISO_DAY.fullmatch(day) and _real(day):
            self.day = day


def _real(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def french_day(day: str) -> str:
    """The ISO `day` written as French does: "1er novembre 2026", "17 mai 2026"."""
    parsed = date.fromisoformat(day)
    with translation.override("fr"):
        written = formats.date_format(parsed, "j F Y")
    return f"1er{written[1:]}" if parsed.day == 1 else written
