"""Moderators keep the ESS thesaurus in the admin: a term added is found at once, and a
term the search could not use is refused with a French message that keeps what was typed."""

import pytest
from pytest_django.asserts import assertContains

from directory.models import SearchSynonym
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db
ADD = "/admin/directory/searchsynonym/add/"


@pytest.fixture
def moderator_client(client):
    client.force_login(make_user("moderatrice", groups=("Modérateurs",), is_staff=True))
    return client


def search_actors(client, q: str) -> list[str]:
    response = client.get("/recherche/", {"q": q})
    group = next(g for g in response.context["result"].groups if g.kind == "acteurs")
    return [organisation.name for organisation in group.items]


def test_a_term_added_by_a_moderator_is_found_by_the_next_search(moderator_client):
    make_organisation("Droit au Vélo", description="Association d'usagers.")
    make_organisation("Café Bretelle", description="Restauration.")
    assert search_actors(moderator_client, "trottinette") == []

    response = moderator_client.post(ADD, {"concept": "Vélo", "term": "  trottinette "})

    assert response.status_code == 302
    assert SearchSynonym.objects.filter(concept="velo", term="trottinette").exists()
    assert search_actors(moderator_client, "trottinette") == ["Droit au Vélo"]
    # ...and the other way round: the concept's words find what says "trottinette".
    make_organisation("Trottinettes du Nord", description="Location.")
    assert "Trottinettes du Nord" in search_actors(moderator_client, "bicyclette")


def test_a_term_deleted_stops_matching_at_once(moderator_client):
    make_organisation("Droit au Vélo", description="Association d'usagers.")
    term = SearchSynonym.objects.get(term="bicyclette")

    response = moderator_client.post(
        f"/admin/directory/searchsynonym/{term.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert search_actors(moderator_client, "bicyclette") == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Cycle", "déjà dans le concept « velo »"),  # same words as a term of another concept
        ("de la", "Ce terme n&#x27;a que des mots vides"),
        ("à pied", "Un mot d&#x27;une seule lettre"),
        ("!!!", "Le terme est vide"),
        ("   ", "Ce champ est obligatoire"),
    ],
)
def test_a_term_the_search_could_not_use_is_refused_in_french(moderator_client, typed, message):
    count = SearchSynonym.objects.count()

    response = moderator_client.post(ADD, {"concept": "reemploi", "term": typed})

    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, 'value="reemploi"')  # what was typed is kept
    assert SearchSynonym.objects.count() == count


def test_a_term_may_be_renamed_within_its_own_concept(moderator_client):
    term = SearchSynonym.objects.get(term="bicyclette")

    response = moderator_client.post(
        f"/admin/directory/searchsynonym/{term.pk}/change/",
        {"concept": "velo", "term": "Bicyclette"},
    )

    assert response.status_code == 302
    term.refresh_from_db()
    assert term.term == "Bicyclette"


def test_only_moderators_keep_the_thesaurus(client):
    client.force_login(make_user("agent", is_staff=True))

    assert client.get(ADD).status_code == 403
