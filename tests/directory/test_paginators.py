"""CountedPaginator: the page's rows carry the number of matches, one query per page, and
every page number answered as Django's Paginator answers it (issue 20)."""

import pytest
from django.core.paginator import Paginator

from directory.models import Organisation
from directory.paginators import CountedPaginator
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def five():
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        make_organisation(name)
    return Organisation.objects.order_by("name", "pk")


def shown(page) -> tuple:
    return (
        page.number,
        [organisation.name for organisation in page.object_list],
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
    )


def test_a_page_and_the_number_of_matches_come_in_one_query(five, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPaginator(five, 2).get_page("2")
        assert shown(page) == (2, ["Charlie", "Delta"], 5, 3, True)


@pytest.mark.parametrize(
    "number", ["1", "3", 3, 2.0, 2.5, None, "", "abc", "2.5", " 2", "0", "-1", "4", "99"]
)
def test_every_page_number_is_answered_as_django_answers_it(five, number):
    assert shown(CountedPaginator(five, 2).get_page(number)) == shown(
        Paginator(five, 2).get_page(number)
    )


def test_past_the_last_page_it_counts_on_its_own_and_gives_the_last(
    five, django_assert_num_queries
):
    with django_assert_num_queries(3):  # the empty page, the count, the last page
        page = CountedPaginator(five, 2).get_page("9")
        assert shown(page) == (3, ["Echo"], 5, 3, False)


def test_an_empty_list_is_an_empty_first_page():
    page = CountedPaginator(Organisation.objects.order_by("name"), 2).get_page("1")
    assert shown(page) == (1, [], 0, 1, False)


def test_orphans_are_not_kept(five):
    with pytest.raises(ValueError, match="orphans"):
        CountedPaginator(five, 2, orphans=1)
