"""The directory's text search: bounded relevance ranking, the count cap, the typo fallback."""

import pytest

from directory.filters import OrganisationFilters
from directory.selectors import Origin, organisation_search
from directory.selectors import search as selectors
from directory.services import search_words_refresh
from tests.factories import FIVES, HELLEMMES, LOMME, WAZEMMES, make_organisation

pytestmark = pytest.mark.django_db


def search(q: str, **options):
    return organisation_search(filters=OrganisationFilters(q=q), **options)


def names(result) -> list[str]:
    return [organisation.name for organisation in result.organisations]


@pytest.fixture
def small_cap(monkeypatch):
    """A count cap of 4, so that "more matches than the cap" needs few rows."""
    monkeypatch.setattr(selectors, "DIRECTORY_COUNT_CAP", 4)
    return 4


def make_cooperatives() -> None:
    """Six organisations whose presentation says "coopérative" (in creation order), two of
    them later in the name too, and one whose name is only close to the word."""
    for number in range(1, 5):
        make_organisation(f"Atelier {number}", description="Une coopérative de quartier.")
    make_organisation("Coopérative Zéro Déchet", description="Réemploi et vrac.")
    make_organisation("Coopérative Alimentaire", description="Épicerie coopérative.")
    make_organisation("Kooperative Nord", description="Cuisine.")


def test_full_text_matches_come_before_names_only_close_to_the_query():
    make_cooperatives()

    result = search("cooperative")

    assert result.sort == "relevance"
    assert result.total == 7
    assert names(result)[:2] == ["Coopérative Alimentaire", "Coopérative Zéro Déchet"]
    assert names(result)[-1] == "Kooperative Nord"  # trigram similarity only: last
    assert not result.is_capped


def test_beyond_the_cap_the_count_says_more_and_only_full_text_matches_are_ranked(small_cap):
    make_cooperatives()

    result = search("cooperative", page_size=10)

    assert result.total == small_cap
    assert result.is_capped
    # The cap's worth of candidates, taken in creation order, then ranked.
    assert names(result) == ["Atelier 1", "Atelier 2", "Atelier 3", "Atelier 4"]
    assert "Kooperative Nord" not in names(result)


def test_beyond_the_cap_pages_neither_repeat_nor_skip_a_candidate(small_cap):
    make_cooperatives()

    pages = [search("cooperative", page=page, page_size=3) for page in (1, 2)]

    assert [page.page_count for page in pages] == [2, 2]
    seen = names(pages[0]) + names(pages[1])
    assert sorted(seen) == ["Atelier 1", "Atelier 2", "Atelier 3", "Atelier 4"]


def test_beyond_the_cap_the_name_order_is_still_exact(small_cap):
    make_cooperatives()

    result = search("cooperative", sort="name", page_size=10)

    assert names(result) == [
        "Atelier 1",
        "Atelier 2",
        "Atelier 3",
        "Atelier 4",
    ]
    result = search("cooperative alimentaire", sort="name")
    assert names(result) == ["Coopérative Alimentaire"]


def test_relevance_puts_the_name_before_the_presentation_among_candidates(small_cap):
    make_organisation("Atelier Vélo", description="Réparation.")
    make_organisation("Recyclerie", description="Des vélos réparés.")

    assert names(search("velo")) == ["Atelier Vélo", "Recyclerie"]


def test_beyond_the_cap_distance_order_takes_the_nearest(small_cap):
    for name, point in [
        ("Vélo Lomme", LOMME),
        ("Vélo Wazemmes", WAZEMMES),
        ("Vélo Fives", FIVES),
        ("Vélo Hellemmes", HELLEMMES),
        ("Vélo sans adresse", None),
    ]:
        make_organisation(name, location=point.clone() if point else None)

    origin = Origin(lat=HELLEMMES.y, lon=HELLEMMES.x)
    result = search("velo", sort="distance", origin=origin, page_size=10)

    assert result.is_capped
    assert names(result) == ["Vélo Hellemmes", "Vélo Fives", "Vélo Wazemmes", "Vélo Lomme"]
    assert result.organisations[0].distance_m < 10
    assert 1_000 < result.organisations[1].distance_m < 2_000


def test_a_typo_is_corrected_once_the_dictionary_knows_the_word():
    make_cooperatives()
    search_words_refresh()

    assert names(search("ccoperative"))[:2] == [
        "Coopérative Alimentaire",
        "Coopérative Zéro Déchet",
    ]
    assert search("ccoperative").total == 7


def test_a_page_past_the_last_still_knows_the_total():
    make_cooperatives()

    result = search("cooperative", page=9)

    assert result.organisations == []
    assert result.total == 7
    assert result.page > result.page_count  # the view answers 404


@pytest.mark.parametrize("query", ["l'", "le la", "!!!", "a" * 200])
def test_queries_without_a_usable_word_answer_without_error(query):
    make_cooperatives()

    result = search(query)

    assert result.total == len(result.organisations)
    assert "Kooperative Nord" not in names(result)


def test_other_filters_apply_to_the_typo_fallback_too():
    make_organisation("Kooperative Nord", kinds=("siae",))
    make_organisation("Kooperative Sud", kinds=("reseau",))

    result = organisation_search(filters=OrganisationFilters(q="cooperative", kinds=("siae",)))

    assert names(result) == ["Kooperative Nord"]
