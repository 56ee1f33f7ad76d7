"""Issue 14: who decides a network's request to enrol a listing, and what a decision does."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from directory import access
from directory.contributions.membership_requests import (
    membership_request_accept,
    membership_request_open,
    membership_request_refuse,
)
from directory.models import NetworkMembership, NetworkMembershipRequest, OrganisationEditor
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def loner(world):
    return make_organisation("Ressourcerie de Moulins")


@pytest.fixture
def owner(loner):
    person = make_user("ressourcerie")
    OrganisationEditor.objects.create(user=person, organisation=loner)
    return person


def test_a_network_may_update_only_its_own_members(world, loner):
    assert access.network_may_update_member(network=world.network_a, member=world.member_a)
    assert not access.network_may_update_member(network=world.network_a, member=world.member_b)
    assert not access.network_may_update_member(network=world.network_a, member=loner)


def test_moderators_and_owners_decide_not_the_network(world, loner, owner):
    asked = membership_request_open(network=world.network_a, member=loner)
    decides = {
        role: access.membership_request_decidable_by(user=user, membership_request=asked)
        for role, user in world.users.items()
        if user is not None
    }
    assert decides == {
        "utilisateur": False,
        "editeur A": False,
        "editeur B": False,
        "moderateur": True,
        "ville": False,
        "superuser": True,
    }
    assert access.membership_request_decidable_by(user=owner, membership_request=asked)


def test_one_pending_request_per_pair_and_the_owners_are_told(
    world, loner, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = membership_request_open(network=world.network_a, member=loner)
        again = membership_request_open(network=world.network_a, member=loner)
    assert first == again
    assert NetworkMembershipRequest.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["ressourcerie@exemple.fr"]
    assert "APES Hauts-de-France" in message.body


def test_refusal_needs_a_reason_and_a_decision_is_final(world, loner):
    asked = membership_request_open(network=world.network_a, member=loner)
    moderator = world.users["moderateur"]
    with pytest.raises(ValidationError):
        membership_request_refuse(membership_request=asked, user=moderator, reason=" ")
    membership_request_refuse(membership_request=asked, user=moderator, reason="Pas adhérente")
    with pytest.raises(ValidationError):
        membership_request_accept(membership_request=asked, user=moderator)
    assert not NetworkMembership.objects.filter(member=loner).exists()
    assert membership_request_open(network=world.network_a, member=loner) == asked


def test_the_page_lists_what_each_person_may_decide(client, world, loner, owner):
    asked = membership_request_open(network=world.network_a, member=loner)
    other = membership_request_open(network=world.network_b, member=world.member_a)
    client.force_login(owner)
    listed = list(client.get("/moderation/adhesions/").context["membership_requests"])
    assert listed == [asked]
    assert client.post(f"/moderation/adhesions/{other.pk}/accepter/").status_code == 403
    client.force_login(world.users["moderateur"])
    listed = list(client.get("/moderation/adhesions/").context["membership_requests"])
    assert listed == [asked, other]
    client.force_login(world.users["editeur A"])
    assert client.get("/moderation/adhesions/").status_code == 403


def test_refusing_on_the_page_needs_a_reason_and_csrf(world, loner):
    asked = membership_request_open(network=world.network_a, member=loner)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["moderateur"])
    assert strict.post(f"/moderation/adhesions/{asked.pk}/accepter/").status_code == 403
    client = Client()
    client.force_login(world.users["moderateur"])
    response = client.post(f"/moderation/adhesions/{asked.pk}/refuser/", {"reason": ""})
    assert response.status_code == 400
    asked.refresh_from_db()
    assert asked.status == "en-attente"
    client.post(f"/moderation/adhesions/{asked.pk}/refuser/", {"reason": "Inconnue du réseau"})
    asked.refresh_from_db()
    assert (asked.status, asked.reason) == ("refusee", "Inconnue du réseau")
    assert asked.decided_by == world.users["moderateur"]
