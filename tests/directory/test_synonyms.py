"""The ESS thesaurus: a synonym is found, and ranks above a typo widening."""

import pytest
from django.db import connection

from directory.filters import OrganisationFilters
from directory.selectors import organisation_search
from directory.services import search_words_refresh
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def names(q: str) -> list[str]:
    result = organisation_search(filters=OrganisationFilters(q=q), page_size=50)
    return [organisation.name for organisation in result.organisations]


def test_velo_finds_the_cycling_actors_by_their_own_words():
    make_organisation("Les Cycles du Nord", description="Atelier participatif.")
    make_organisation("Droit au Vélo", description="Association d'usagers.")
    make_organisation("Mobilité Lilloise", description="Promotion des mobilités douces.")
    make_organisation("Café Bretelle", description="Restauration.")

    assert sorted(names("vélo")) == ["Droit au Vélo", "Les Cycles du Nord", "Mobilité Lilloise"]


def test_reemploi_ranks_ressourceries_above_the_typo_widening_to_emploi():
    make_organisation("Maison de l'emploi", description="Emploi et formation.")
    make_organisation("La Ressourcerie du Sud", description="Collecte et revente.")
    make_organisation("Recyclerie Fives", description="Vêtements de seconde main.")
    search_words_refresh()  # "emploi" becomes a known word, "reemploi" is not one

    found = names("réemploi")

    assert sorted(found[:2]) == ["La Ressourcerie du Sud", "Recyclerie Fives"]
    assert "Maison de l'emploi" not in found  # a known synonym is never widened


def test_a_typo_still_widens_below_exact_matches():
    make_organisation("Atelier coopératif", description="Une coopérative de quartier.")
    make_organisation("Coopérer", description="Un lieu.")
    search_words_refresh()

    assert names("cooperativ")[0] == "Atelier coopératif"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("DLA", "Dispositif local d'accompagnement du Nord"),
        ("pret", "Emprunt solidaire"),
        ("SCIC", "Coopérative de quartier"),
        ("SIAE", "Chantier d'insertion Wazemmes"),
    ],
)
def test_acronyms_and_ess_words_meet_their_synonyms(query, expected):
    make_organisation(expected, description="")
    make_organisation("Café Bretelle", description="Restauration.")

    assert names(query) == [expected]


def test_an_unknown_word_or_an_empty_query_is_left_as_it_is():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cartess_synonyms(to_tsquery('french_unaccent', 'lille:*'))::text,"
            " cartess_synonyms(to_tsquery('french_unaccent', 'de'))::text"
        )
        assert cursor.fetchone() == ("'lill':*", "")
