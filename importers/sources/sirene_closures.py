"""Listings whose SIRENE établissement closed: kept, with their closing date, off the map.

SIRENE's stock keeps closed établissements (`etatAdministratifEtablissement = F`); the
period that starts on `dateDebut` is the closed one, so that day is the closing date. An
établissement of the territory that closed is never imported as a new listing (it is set
aside), but a listing already in Cartess with that SIRET and no closing date gets the date:
its page says "Cette structure a fermé le …", it leaves the map and the directory, and
nothing is deleted (directory.services.organisation_close). A closing date already on the
listing (a person's, or another source's) is kept. A closed établissement without a
readable `dateDebut` closes nothing: a date is never invented (the run warns).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from directory.models import Organisation
from directory.services import organisation_close

#: The column of StockEtablissement that starts the établissement's current period.
PERIOD_START = "dateDebut"
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def period_day(value: str) -> date | None:
    """The day of a SIRENE date cell (YYYY-MM-DD), None when empty or unreadable. Pure."""
    match = _DAY.match(value.strip())
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass
class RegisterClosures:
    """The closed établissements of a run that name an open listing of Cartess.

    `open_sirets` (the SIRET of the listings without a closing date) is read before the
    stock is streamed: the stream feeds a COPY, and the connection runs no other query
    meanwhile. Only the closed établissements that match one are remembered, never every
    closed établissement of the city.
    """

    open_sirets: frozenset[str] = frozenset()
    closed: dict[str, date] = field(default_factory=dict)
    undated: int = 0

    @classmethod
    def for_open_listings(cls) -> "RegisterClosures":
        """Ready to hear of the closed établissements of the listings open now (one query)."""
        listings = Organisation.objects.filter(closed_on__isnull=True).exclude(siret="")
        return cls(open_sirets=frozenset(listings.values_list("siret", flat=True)))

    def offer(self, siret: str, period_start: str) -> None:
        """Remember `siret` (closed since `period_start`) when an open listing has it."""
        if siret not in self.open_sirets:
            return
        day = period_day(period_start)
        if day is None:
            self.undated += 1
        else:
            self.closed[siret] = day

    def apply(self, *, closed_message: str = "") -> list[str]:
        """Close the remembered listings still open; the report's lines (none when none).

        `closed_message` (translated, with `%(n)s`) names the register in the count's line;
        SIRENE's by default."""
        listings = Organisation.objects.filter(siret__in=self.closed, closed_on__isnull=True)
        closed = 0
        for organisation in listings:
            organisation_close(organisation=organisation, closed_on=self.closed[organisation.siret])
            closed += 1
        lines = []
        if closed:
            message = closed_message or _(
                "%(n)s fiche(s) fermée(s) : leur établissement est fermé dans SIRENE"
            )
            lines.append(message % {"n": closed})
        if self.undated:
            lines.append(
                _(
                    "%(n)s établissement(s) fermé(s) sans date de fermeture lisible : "
                    "fiche(s) laissée(s) ouverte(s)"
                )
                % {"n": self.undated}
            )
        return lines
