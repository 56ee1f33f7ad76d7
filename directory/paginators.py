"""Pages of a list whose page query reads every match anyway.

A list sorted by name reads every match to sort them, then keeps a page; Django's Paginator
first counts the matches in a query of its own, which reads them all again (issue 20:
/lieux/ read its 3,469 places twice at 1,000,000 organisations, 15 ms each).
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

#: The annotation carrying the number of matches on each row of a page.
TOTAL = "paginator_total"


class CountedPaginator(Paginator):
    """Django's Paginator over an ordered QuerySet, reading the number of matches with the
    page's rows (`count(*) OVER ()` on each): one query for a page rather than two. A page
    that has no rows (past the last, or an empty list) is answered by Django's Paginator,
    which counts on its own: the last page, or page 1 empty. Without orphans."""

    object_list: QuerySet

    def __init__(self, object_list: QuerySet, per_page: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        if self.orphans:
            raise ValueError("CountedPaginator does not keep orphans.")

    def get_page(self, number) -> Page:
        """The page `number`, as Django's `get_page` gives it: page 1 for what is not a
        whole number, the last page past it."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError  # as Django's validate_number: 2.5 is not a page
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted >= 1:
            bottom = (wanted - 1) * self.per_page
            counted = self.object_list.annotate(**{TOTAL: Window(Count("pk"))})
            rows = list(counted[bottom : bottom + self.per_page])
            if rows:
                self.count = getattr(rows[0], TOTAL)
                return self._get_page(rows, wanted, self)
        return super().get_page(number)
