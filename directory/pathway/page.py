"""What `/parcours/` shows of a long answer: each list's first cards, and a link to the rest.

A national instance answers an amorçage project with hundreds of schemes and offers (641
cards with the bench's 300 schemes and 300 offers: 519 kB of HTML, 114 ms p95 at 1M
organisations, almost all of it Django's templates; issue 20). A person reads the first
ranked ones; the page shows each list's first cards and links to the same pathway with that
list whole (`?show=financements`; `directory/shown.py`). The counts in the headings, the
printout's "N autres résultats sur..." and the JSON (`/api/v1/pathway/`) are always whole.
"""

from dataclasses import dataclass

from django.http import QueryDict

from directory.pathway.selectors import Pathway, RoadStep
from directory.shown import Shown, shown_asked, shown_list

#: How many cards each list shows before its link (`show=<key>`).
SHOWN = {
    "financements": 20,
    "accompagnements": 20,
    "bientot": 10,
    "recurrents": 10,
    "ecartes": 20,
}
#: Each later stage of the road ahead (`show=suite-<stage slug>`).
ROAD_SHOWN = 10


@dataclass(frozen=True)
class PathwayPage:
    schemes: Shown
    support_offers: Shown
    soon: Shown
    road_ahead: list[tuple[RoadStep, Shown]]
    recurring: Shown
    excluded: Shown
    #: The heading focused when the page opens: the last list asked whole, else the result's.
    focus: str


def pathway_page(result: Pathway, *, query: QueryDict) -> PathwayPage:
    """The lists of `result` cut for the page asked by `query`, whose `show` values name the
    lists shown whole."""
    lists = {
        "schemes": ("financements", "titre-financements", result.schemes),
        "support_offers": ("accompagnements", "titre-accompagnements", result.support_offers),
        "soon": ("bientot", "titre-bientot", result.soon),
        "recurring": ("recurrents", "titre-recurrents", result.recurring),
        "excluded": ("ecartes", "titre-ecartes", result.excluded),
    }
    road = {
        f"suite-{step.stage.slug}": (step, f"etape-{step.stage.slug}") for step in result.road_ahead
    }
    asked = shown_asked(query, known=[*(key for key, _, _ in lists.values()), *road])

    def shown(key: str, heading: str, matches: list, limit: int) -> Shown:
        return shown_list(matches, key=key, heading=heading, limit=limit, query=query, asked=asked)

    page = {
        name: shown(key, heading, matches, SHOWN[key])
        for name, (key, heading, matches) in lists.items()
    }
    steps = [
        (step, shown(key, heading, step.matches, ROAD_SHOWN))
        for key, (step, heading) in road.items()
    ]
    headings = {key: heading for key, heading, _ in lists.values()}
    headings.update({key: heading for key, (_, heading) in road.items()})
    focus = headings[asked[-1]] if asked else "resultats"
    return PathwayPage(**page, road_ahead=steps, focus=focus)
