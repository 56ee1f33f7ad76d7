"""Listings whose établissement the Recherche d'entreprises API reports closed.

The API describes each établissement with `etat_administratif` ("A" active, "F" fermé) and
`date_fermeture` (YYYY-MM-DD, null while open), on the siège and on the
`matching_etablissements` of a result; a unit that ceased (`etat_administratif` "C" on the
unit) has only closed établissements. The run is asked for units of every state (no
`etat_administratif` filter: it is a filter on the unit), so an answer carries the closed
établissements of the territory, of active and ceased units alike, without one more request.

What happens to them is what SIRENE does (importers.sources.sirene_closures.RegisterClosures,
reused): a listing of Cartess with that SIRET and no closing date gets `date_fermeture` as its
closing date (directory.services.organisation_close: kept, off the map, "fermé" on its page,
never deleted); a closing date already on a listing is kept; a closed établissement without
a readable `date_fermeture` closes nothing (no date is invented, the run counts it). A unit
with no open établissement to show is set aside, never created as a new listing.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _

from importers.engine.mapping import text
from importers.sources.sirene_closures import RegisterClosures

CLOSED = "F"


def closed_places(
    raw: Mapping[str, Any], *, territory: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """(SIRET, date_fermeture or "") of the result's closed établissements in the territory
    (siège and matching ones). Pure and lenient: a place that is not an object is skipped."""
    places = [raw.get("siege"), *(raw.get("matching_etablissements") or [])]
    for place in places:
        if not isinstance(place, Mapping) or text(place, "etat_administratif") != CLOSED:
            continue
        siret = text(place, "siret")
        if siret and text(place, "commune") in territory:
            yield siret, text(place, "date_fermeture")


def is_closed(place: Mapping[str, Any]) -> bool:
    """Whether the établissement that stands for a unit is closed (then no new listing)."""
    return text(place, "etat_administratif") == CLOSED


def closed_label() -> str:
    """The set-aside label of units whose établissement in the territory is closed."""
    return _("unités cessées ou établissements fermés")


def closures_apply(closures: RegisterClosures) -> list[str]:
    """Close the listings `closures` remembered; the report's lines (none when none)."""
    return closures.apply(
        closed_message=_(
            "%(n)s fiche(s) fermée(s) : leur établissement est fermé selon la Recherche "
            "d'entreprises"
        )
    )
