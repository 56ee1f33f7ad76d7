"""Issue 16: the actors' inbox, the status they give a request and their referrals; only the
actors concerned see the holder's personal data."""

import pytest
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import Mobilisation, MobilisationStatus, OrganisationEditor
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def sent(client, actors, world, form) -> tuple[Mobilisation, Mobilisation]:
    """One request to the funder (owned) and one to network A's member."""
    client.post(f"/organisations/{actors.funder.slug}/mobiliser/", form)
    client.post(f"/organisations/{world.member_a.slug}/mobiliser/", form)
    return (
        Mobilisation.objects.get(organisation=actors.funder),
        Mobilisation.objects.get(organisation=world.member_a),
    )


def test_the_owner_sees_the_requests_to_their_listing_and_no_other(actors, sent):
    owner = _client(actors.owner)
    assert owner.get("/compte/").status_code == 200
    assertContains(owner.get("/compte/"), "/compte/demandes/")
    page = owner.get("/compte/demandes/")
    assertContains(page, f"/demandes/{sent[0].pk}/")
    assertNotContains(page, f"/demandes/{sent[1].pk}/")
    assertContains(owner.get(f"/demandes/{sent[0].pk}/"), "lou@exemple.fr")
    assert owner.get(f"/demandes/{sent[1].pk}/").status_code == 403


def test_the_network_sees_the_requests_to_its_members(world, sent):
    editor = _client(world.users["editeur A"])
    page = editor.get(f"/reseaux/{world.network_a.slug}/demandes/")
    assertContains(page, f"/demandes/{sent[1].pk}/")
    assertNotContains(page, f"/demandes/{sent[0].pk}/")
    network_page = editor.get(f"/reseaux/{world.network_a.slug}/")
    assertContains(network_page, "Demandes adressées aux membres")
    assertContains(editor.get(f"/demandes/{sent[1].pk}/"), "lou@exemple.fr")


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonyme", 302), ("utilisateur", 403), ("editeur B", 403), ("ville", 403)],
)
def test_nobody_else_reads_the_personal_data(world, sent, role, status):
    other = _client(world.users[role])
    for url in (
        f"/demandes/{sent[1].pk}/",
        "/compte/demandes/",
        f"/reseaux/{world.network_a.slug}/demandes/",
    ):
        response = other.get(url)
        # Network B's editor has an inbox of their own, without network A's requests.
        own_inbox = role == "editeur B" and url == "/compte/demandes/"
        assert response.status_code == (200 if own_inbox else status), url
        assert b"lou@exemple.fr" not in response.content
    post = other.post(f"/demandes/{sent[1].pk}/statut/", {"status": "close"})
    assert post.status_code == status
    assert Mobilisation.objects.get(pk=sent[1].pk).status == MobilisationStatus.RECEIVED
    assert other.get("/demandes/999999/").status_code in (302, 404)


def test_a_moderator_sees_every_request(world, sent):
    page = _client(world.users["moderateur"]).get("/compte/demandes/")
    assertContains(page, f"/demandes/{sent[0].pk}/")
    assertContains(page, f"/demandes/{sent[1].pk}/")


def test_the_inbox_reads_a_fixed_number_of_queries(
    actors, world, sent, django_assert_max_num_queries
):
    for _index in range(20):
        Mobilisation.objects.create(
            organisation=actors.funder, holder_email="x@exemple.fr", consent_at=sent[0].consent_at
        )
    moderator = _client(world.users["moderateur"])
    with django_assert_max_num_queries(12):
        assert moderator.get("/compte/demandes/").status_code == 200


def test_a_status_change_tells_the_holder(actors, sent, django_capture_on_commit_callbacks):
    owner = _client(actors.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"/demandes/{sent[0].pk}/statut/", {"status": "prise-en-charge"})
    assert response.status_code == 302
    assert Mobilisation.objects.get(pk=sent[0].pk).status == MobilisationStatus.TAKEN
    (told,) = mail.outbox
    assert told.to == ["lou@exemple.fr"]
    assert "Prise en charge" in told.subject
    refused = owner.post(f"/demandes/{sent[0].pk}/statut/", {"status": "n-importe"})
    assertContains(refused, "Sélectionnez un choix valide")
    assertContains(owner.get(f"/demandes/{sent[0].pk}/"), '<option value="close">Close</option>')


def test_referring_a_request_sends_it_to_the_other_actor_and_tells_the_holder(
    actors, sent, django_capture_on_commit_callbacks
):
    other = make_organisation(
        "Incubateur Les Premières", kinds=("accompagnement",), email="accueil@lespremieres.fr"
    )
    other_owner = make_user("proprietaire-lp")
    OrganisationEditor.objects.create(user=other_owner, organisation=other)
    owner = _client(actors.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            f"/demandes/{sent[0].pk}/orienter/",
            {"organisation": other.pk, "note": "Besoin d'abord d'un accompagnement."},
        )
    first = Mobilisation.objects.get(pk=sent[0].pk)
    referral = Mobilisation.objects.get(organisation=other)
    assert first.status == MobilisationStatus.REFERRED
    assert referral.referred_from == first
    assert referral.holder_email == "lou@exemple.fr"
    recipients = [message.to for message in mail.outbox]
    assert ["accueil@lespremieres.fr", "proprietaire-lp@exemple.fr"] in recipients
    holder_mails = [m for m in mail.outbox if m.to == ["lou@exemple.fr"]]
    assert any("Besoin d'abord d'un accompagnement." in m.body for m in holder_mails)
    assertContains(_client(other_owner).get(f"/demandes/{referral.pk}/"), "Besoin d&#x27;abord")
    follow = Client().get(holder_mails[0].body.split("8000", 1)[1].split()[0])
    assertContains(follow, "Incubateur Les Premières")


def test_a_referral_needs_an_actor(actors, sent):
    response = _client(actors.owner).post(f"/demandes/{sent[0].pk}/orienter/", {"note": "x"})
    assertContains(response, "Choisissez l&#x27;acteur vers qui orienter la demande.")
