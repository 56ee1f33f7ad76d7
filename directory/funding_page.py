"""What `/financements/` shows of a long funding landscape.

On a phone the matrix gives way to one list per stage (CSS), which repeats each scheme under
every stage it covers: 442 entries with the bench's 300 schemes, a third of the page's
rendering at 1M organisations (issue 20), and a very long scroll on a phone. Each stage's list
shows its first schemes and links to the same page with that stage whole
(`?show=etape-<stage slug>`, `directory/shown.py`). The matrix, the counts in the headings,
the CSV export and the Atom feed stay whole.
"""

from dataclasses import dataclass

from django.http import QueryDict

from directory.models import Stage
from directory.selectors.funding_landscape import FundingLandscape
from directory.shown import Shown, shown_asked, shown_list

#: How many schemes each stage's list shows before its link.
STAGE_SHOWN = 20


@dataclass(frozen=True)
class FundingPage:
    #: Each stage with its list as the page shows it.
    by_stage: list[tuple[Stage, Shown]]
    #: The heading focused when the page opens (the last stage asked whole), or "".
    focus: str


def funding_page(landscape: FundingLandscape, *, query: QueryDict) -> FundingPage:
    """The lists by stage of `landscape` cut for the page asked by `query`, whose `show`
    values name the stages shown whole."""
    keys = {stage.slug: f"etape-{stage.slug}" for stage, _ in landscape.by_stage}
    asked = shown_asked(query, known=keys.values())
    by_stage = [
        (
            stage,
            shown_list(
                schemes,
                key=keys[stage.slug],
                heading=keys[stage.slug],
                limit=STAGE_SHOWN,
                query=query,
                asked=asked,
            ),
        )
        for stage, schemes in landscape.by_stage
    ]
    return FundingPage(by_stage=by_stage, focus=asked[-1] if asked else "")
