"""Moderators and network editors accept or refuse suggestions; authors hear back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from directory.contributions.services import SuggestionData, suggestion_submit
from directory.models import Organisation, Suggestion, SuggestionStatus

pytestmark = pytest.mark.django_db


def correction(organisation, **fields) -> Suggestion:
    fields.setdefault("description", "Maraîchage biologique, paniers le jeudi.")
    return Suggestion.objects.create(kind="correction", organisation=organisation, **fields)


def test_a_suggestion_about_a_member_reaches_its_network_editors_first(client, world):
    about_a = correction(world.member_a)
    about_b = correction(world.member_b)
    client.force_login(world.users["editeur A"])
    queue = client.get("/moderation/")
    assertContains(queue, f'href="/moderation/{about_a.pk}/"')
    assertNotContains(queue, f'href="/moderation/{about_b.pk}/"')
    client.force_login(world.users["moderateur"])
    queue = client.get("/moderation/")
    assertContains(queue, f'href="/moderation/{about_a.pk}/"')
    assertContains(queue, f'href="/moderation/{about_b.pk}/"')


def test_accepting_a_correction_updates_the_listing_and_tells_the_author(client, world):
    suggestion = correction(world.member_a, author_email="voisine@exemple.fr")
    client.force_login(world.users["editeur A"])
    review = client.get(f"/moderation/{suggestion.pk}/")
    assertContains(review, "Maraîchage en insertion.")  # today
    assertContains(review, "Maraîchage biologique, paniers le jeudi.")  # proposed
    response = client.post(f"/moderation/{suggestion.pk}/accepter/", follow=True)
    assertRedirects(response, "/moderation/")
    assertContains(response, "Suggestion acceptée")
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.description == "Maraîchage biologique, paniers le jeudi."
    assert member.history.first().history_change_reason == f"suggestion n°{suggestion.pk}"
    assert member.history.first().history_user == world.users["editeur A"]
    assert mail.outbox[0].to == ["voisine@exemple.fr"]
    assert "acceptée" in mail.outbox[0].body


def test_accepting_a_new_listing_publishes_it(client, world):
    suggestion = Suggestion.objects.create(
        kind="nouvelle", name="Repair Café de Moulins", city="Lille", postcode="59000"
    )
    client.force_login(world.users["moderateur"])
    client.post(f"/moderation/{suggestion.pk}/accepter/")
    assert client.get("/annuaire/?q=repair").content.decode().count("Repair Café de Moulins")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.APPROVED
    assert suggestion.organisation.name == "Repair Café de Moulins"
    assert mail.outbox == []  # no email was given


def test_refusing_needs_a_reason_which_the_author_receives(client, world):
    suggestion = correction(world.member_a, author_email="voisine@exemple.fr")
    client.force_login(world.users["moderateur"])
    response = client.post(f"/moderation/{suggestion.pk}/refuser/", {"reason": ""})
    assert response.status_code == 400
    assertContains(response, "Ce champ est obligatoire.", status_code=400)
    response = client.post(
        f"/moderation/{suggestion.pk}/refuser/", {"reason": "Information déjà à jour."}
    )
    assertRedirects(response, "/moderation/")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rejection_reason) == (
        "refusee",
        "Information déjà à jour.",
    )
    assert "Information déjà à jour." in mail.outbox[0].body
    assert Organisation.objects.get(pk=world.member_a.pk).description == "Maraîchage en insertion."


def test_a_decided_suggestion_cannot_be_decided_again(client, world):
    suggestion = correction(world.member_a)
    client.force_login(world.users["moderateur"])
    client.post(f"/moderation/{suggestion.pk}/refuser/", {"reason": "Doublon."})
    response = client.post(f"/moderation/{suggestion.pk}/accepter/", follow=True)
    assertContains(response, "déjà été examinée")
    assert Organisation.objects.get(pk=world.member_a.pk).description == "Maraîchage en insertion."


def test_moderation_forms_refuse_posts_without_their_csrf_token(world):
    suggestion = correction(world.member_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["moderateur"])
    assert client.post(f"/moderation/{suggestion.pk}/accepter/").status_code == 403
    assert client.post(f"/moderation/{suggestion.pk}/refuser/", {"reason": "x"}).status_code == 403
    assert Suggestion.objects.get().status == SuggestionStatus.PENDING


def test_a_suggestion_about_a_member_is_emailed_to_its_network_editors(
    world, django_capture_on_commit_callbacks
):
    with_editors = world.member_a
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = suggestion_submit(
            data=SuggestionData(organisation=with_editors, phone="03 20 00 00 00")
        )

    assert [message.to for message in mail.outbox] == [["editrice-apes@exemple.fr"]]
    assert "Les Jardins de Fives" in mail.outbox[0].subject
    assert f"/moderation/{suggestion.pk}/" in mail.outbox[0].body


def test_moderators_see_member_suggestions_after_the_others_while_the_network_has_them(
    client, world
):
    about_member = correction(world.member_a)
    new_listing = Suggestion.objects.create(kind="nouvelle", name="Repair Café de Moulins")
    old = correction(world.member_b)
    Suggestion.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    client.force_login(world.users["moderateur"])

    page = client.get("/moderation/").content.decode()

    rows = [page.index(f'href="/moderation/{s.pk}/"') for s in (new_listing, old, about_member)]
    assert rows == sorted(rows)
    assert "Au réseau de la structure d'abord, jusqu'au" in page
    assert page.count("Au réseau de la structure") == 1
