"""How the directory finds its pages at national scale (issues 16 and 20): the count of an
unfiltered list is the figure the database keeps, not a count of the rows; and a text
search takes its relevance candidates by id only when its words are common, else as the
full-text index finds them, with the same results either way under the cap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import sql
from directory.filters import OrganisationFilters
from directory.search import fold, query_words
from directory.search_words import search_words_refresh
from directory.selectors import organisation_search
from directory.selectors.search import DIRECTORY_COUNT_CAP
from tests.factories import DRAFT, make_organisation

pytestmark = pytest.mark.django_db


def test_an_unfiltered_list_counts_from_the_kept_figure_and_a_filtered_one_counts_rows():
    for index in range(3):
        make_organisation(f"Atelier {index}", kinds=("financeur",))
    make_organisation("Brouillon", publication_status=DRAFT)
    make_organisation("Fermée", closed_on="2026-01-31")

    with CaptureQueriesContext(connection) as unfiltered:
        every = organisation_search(filters=OrganisationFilters(), page_size=2)
    with CaptureQueriesContext(connection) as filtered:
        funders = organisation_search(filters=OrganisationFilters(kinds=("financeur",)))

    # Published and open only, as a count would say; and the page still splits it.
    assert (every.total, every.page_count) == (3, 2)
    assert "directory_summarydelta" in unfiltered.captured_queries[0]["sql"]
    assert funders.total == 3
    assert "directory_summarydelta" not in filtered.captured_queries[0]["sql"]


def search_tsquery(q: str, *, count_cap: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql.SEARCH_TSQUERY, {"q_words": query_words(q), "count_cap": count_cap})
        return cursor.fetchone()


def test_a_query_is_common_when_its_most_frequent_word_passes_the_crossing():
    # 16 published organisations; with a cap of 2 the crossing is sqrt(2 x 2 x 16) = 8.
    for index in range(15):
        make_organisation(f"Atelier vélo {index}")
    make_organisation("Ressourcerie de Fives")
    search_words_refresh()

    assert search_tsquery("atelier", count_cap=2)[2] is True  # in 15 names
    assert search_tsquery("ressourcerie", count_cap=2)[2] is False  # in 1
    # A word widened to synonyms counts them: "réemploi" finds the ressourcerie only.
    assert search_tsquery("reemploi", count_cap=2)[2] is False
    # With the directory's cap, nothing in so small a directory is common.
    assert search_tsquery("atelier", count_cap=DIRECTORY_COUNT_CAP)[2] is False
    # No usable word: no query, and nothing to walk.
    assert search_tsquery("!!!", count_cap=2)[1:] == (None, False)


def text_page_ids(q: str, *, by_id: bool, count_cap: int = DIRECTORY_COUNT_CAP) -> list[int]:
    where, params = sql.organisation_filter(OrganisationFilters())
    tsquery, strict, _common = search_tsquery(q, count_cap=count_cap)
    params.update(
        q_folded=fold(q),
        tsquery=tsquery,
        strict_tsquery=strict,
        count_cap=count_cap,
        limit=50,
        offset=0,
    )
    statement = sql.organisation_text_page(
        where=where, order="relevance", with_distance=False, by_id=by_id
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def test_both_ways_of_taking_the_candidates_rank_every_match_alike_under_the_cap():
    made = [make_organisation(f"Atelier vélo {index}") for index in range(6)]
    make_organisation("Atelier du vélo Fives", description="Vélo, vélo, vélo : réparation.")
    make_organisation("Ressourcerie de Fives")
    search_words_refresh()

    by_id = text_page_ids("vélo", by_id=True)
    as_found = text_page_ids("vélo", by_id=False)

    assert by_id == as_found
    assert len(by_id) == 7
    assert set(by_id) > {organisation.pk for organisation in made}


def test_over_the_cap_the_index_order_keeps_a_bounded_and_stable_set():
    for index in range(8):
        make_organisation(f"Atelier vélo {index}")
    search_words_refresh()

    first = text_page_ids("vélo", by_id=False, count_cap=5)
    again = text_page_ids("vélo", by_id=False, count_cap=5)

    assert len(first) == 5
    assert first == again  # the same query pages through the same candidates
