"""`/moderation/doublons/`: moderators see the possible duplicates side by side, merge them
with the values they choose, or say "pas un doublon" for good."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import NetworkMembership, Organisation, OrganisationAlias
from importers.engine.review import duplicate_candidates_refresh
from importers.models import DuplicateCandidate, DuplicateStatus
from tests.factories import FIVES, make_organisation, north_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def coroutine():
    """ "La Coroutine" typed by a person, "Coroutine (La)" sent again by a network 40 m off."""
    kept = make_organisation("La Coroutine", location=FIVES, street="12 rue de Fives")
    twin = make_organisation(
        "Coroutine (La)", location=north_of(FIVES, 40), website="https://coroutine.fr"
    )
    duplicate_candidates_refresh()
    return kept, twin, DuplicateCandidate.objects.get()


@pytest.mark.parametrize(
    ("role", "status"),
    [("utilisateur", 403), ("editeur A", 403), ("ville", 403), ("moderateur", 200)],
)
def test_only_moderators_open_the_list(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("duplicates:list")).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("duplicates:list"))
    assert response.status_code == 302
    assert "next=/moderation/doublons/" in response["Location"]


def test_the_list_shows_both_listings_side_by_side_in_few_queries(
    client, world, django_assert_max_num_queries
):
    for index in range(30):
        make_organisation(f"Atelier vélo de Fives n°{index}", location=north_of(FIVES, index))
        make_organisation(f"Atelier vélo de Fives n°{index} ", location=north_of(FIVES, index))
    duplicate_candidates_refresh()
    assert DuplicateCandidate.objects.count() > 25
    client.force_login(world.users["moderateur"])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("duplicates:list"))

    assert response.content.decode().count('class="duplicate-row"') == 25
    assertContains(response, "Page 1 sur")
    assertContains(response, "Pas un doublon")


def test_the_review_shows_the_survivor_the_rule_picks_and_the_fields_that_differ(
    client, world, coroutine
):
    _kept, _twin, candidate = coroutine
    client.force_login(world.users["moderateur"])

    response = client.get(reverse("duplicates:review", kwargs={"pk": candidate.pk}))

    assertContains(response, "La fiche « La Coroutine » est gardée et absorbe « Coroutine (La) »")
    assertContains(response, "https://coroutine.fr")
    assertContains(response, 'name="name" value="survivor"', count=1)
    # The survivor has no website: the absorbed one's is the default.
    assertContains(response, 'name="website" value="absorbed" id="id_website_1" required checked')


def test_merging_keeps_the_chosen_values_and_redirects_the_old_page(client, world, coroutine):
    kept, twin, candidate = coroutine
    NetworkMembership.objects.create(network=world.network_a, member=twin)
    client.force_login(world.users["moderateur"])

    response = client.post(
        reverse("duplicates:merge", kwargs={"pk": candidate.pk}),
        {
            "name": "absorbed",
            "website": "absorbed",
            "street": "survivor",
            "address": "survivor",
            "location": "survivor",
        },
        follow=True,
    )

    assertContains(response, "Fiches fusionnées dans « Coroutine (La) »")
    kept.refresh_from_db()
    assert (kept.name, kept.website, kept.street) == (
        "Coroutine (La)",
        "https://coroutine.fr",
        "12 rue de Fives",
    )
    assert kept.networks.get() == world.network_a
    assert not Organisation.objects.filter(pk=twin.pk).exists()
    assert OrganisationAlias.objects.get().merged_by == world.users["moderateur"]
    old = client.get(reverse("directory:organisation", kwargs={"slug": twin.slug}))
    assert old.status_code == 301
    assertNotContains(response, "Coroutine (La)</a></td>")  # the pair left the list


def test_a_tampered_choice_is_refused_and_the_choices_kept(client, world, coroutine):
    _kept, twin, candidate = coroutine
    client.force_login(world.users["moderateur"])

    response = client.post(
        reverse("duplicates:merge", kwargs={"pk": candidate.pk}),
        {"name": "les-deux", "website": "absorbed"},
    )

    assert response.status_code == 400
    assertContains(response, "Sélectionnez un choix valide", status_code=400)
    assertContains(response, 'value="absorbed" id="id_website_1" required checked', status_code=400)
    assert Organisation.objects.filter(pk=twin.pk).exists()


def test_pas_un_doublon_is_recorded_and_never_proposed_again(client, world, coroutine):
    _kept, _twin, candidate = coroutine
    client.force_login(world.users["moderateur"])

    response = client.post(
        reverse("duplicates:different", kwargs={"pk": candidate.pk}), follow=True
    )

    assertContains(response, "elle ne sera plus proposée")
    assertContains(response, "Aucun doublon possible à examiner.")
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DIFFERENT
    assert candidate.reviewed_by == world.users["moderateur"]
    assert duplicate_candidates_refresh() == 0
    assert client.get(reverse("duplicates:review", kwargs={"pk": candidate.pk})).status_code == 404


def test_a_merge_refused_half_way_writes_nothing_and_says_why(client, world, coroutine):
    """The merge is atomic: a value chosen from the absorbed listing that breaks a rule (an
    old website no longer valid) is only found once its relations have moved and it was
    deleted; the refusal undoes all of it."""
    kept, twin, candidate = coroutine
    Organisation.objects.filter(pk=twin.pk).update(website="coroutine point fr")
    NetworkMembership.objects.create(network=world.network_a, member=twin)
    versions = kept.history.count() + twin.history.count()
    client.force_login(world.users["moderateur"])

    response = client.post(
        reverse("duplicates:merge", kwargs={"pk": candidate.pk}),
        {"name": "absorbed", "website": "absorbed", "address": "survivor", "location": "survivor"},
    )

    assertContains(response, "Les valeurs choisies ne vont pas ensemble", status_code=400)
    assertContains(response, 'value="absorbed" id="id_website_1" required checked', status_code=400)
    twin.refresh_from_db()
    kept.refresh_from_db()
    assert (twin.name, twin.website) == ("Coroutine (La)", "coroutine point fr")
    assert kept.name == "La Coroutine"
    assert NetworkMembership.objects.filter(member=twin, network=world.network_a).exists()
    assert not OrganisationAlias.objects.exists()
    assert kept.history.count() + twin.history.count() == versions
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.PENDING
