"""Long lists on a page: each list's first entries, and a link to the same page with that
list whole.

A person reads the first entries of a long list; writing hundreds more cost the server most
of the page's time at national scale (issue 20). The page shows a list's first entries and
links to the same address with `?show=<key>` (several `show` allowed), at the list's heading,
which then takes the focus (`data-focus-on-load`). Links work without JavaScript and can be
shared. Used by `/parcours/` (`directory/pathway/page.py`) and by `/financements/`'s list by
stage (`directory/funding_page.py`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

#: The query parameter naming a list to show whole.
SHOW = "show"


@dataclass(frozen=True)
class Shown:
    """One list as the page shows it."""

    key: str
    #: The id of the list's heading: the link's target, focused once the list is whole.
    heading: str
    entries: Sequence[Any]
    #: How many entries the link adds (0: the list is whole).
    hidden: int
    #: The same page with this list whole, at its heading.
    more_url: str
    #: The list was asked whole (`show`).
    whole: bool

    @property
    def total(self) -> int:
        """How long the whole list is."""
        return len(self.entries) + self.hidden


def shown_asked(query: QueryDict, *, known: Iterable[str]) -> list[str]:
    """The lists `query` asks whole, in its order: unknown or repeated `show` values are
    dropped, so a link kept from another answer still opens and the links built stay short."""
    known = set(known)
    return list(dict.fromkeys(key for key in query.getlist(SHOW) if key in known))


def shown_list(
    entries: Sequence[Any],
    *,
    key: str,
    heading: str,
    limit: int,
    query: QueryDict,
    asked: list[str],
) -> Shown:
    """`entries` as the page asked by `query` shows them: whole when `key` is `asked`, or when
    the list is at most half as long again as `limit` (hiding two entries behind a link helps
    nobody); else its first `limit`, with the link to the rest."""
    whole = key in asked
    cut = entries if whole or len(entries) <= limit + limit // 2 else entries[:limit]
    more = query.copy()
    more.setlist(SHOW, [*asked, key])
    return Shown(
        key=key,
        heading=heading,
        entries=cut,
        hidden=len(entries) - len(cut),
        more_url=f"?{more.urlencode()}#{heading}",
        whole=whole,
    )
