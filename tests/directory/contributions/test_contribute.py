"""`/contribuer/`: anyone suggests a listing or a correction; robots and floods are kept out."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from directory.models import Suggestion, SuggestionKind, SuggestionStatus

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Repair Café de Moulins",
    "description": "Réparer ensemble, un samedi par mois.",
    "street": "235 boulevard Paul Painlevé",
    "postcode": "59000",
    "city": "Lille",
    "author_email": "voisine@exemple.fr",
}


def test_a_visitor_suggests_a_new_listing_without_an_account(client, token):
    page = client.get("/contribuer/")
    assertContains(page, "Suggérer une structure de l'ESS")
    assertContains(page, '<label for="id_name">Nom de la structure')
    response = client.post("/contribuer/", {**NEW, "token": token}, follow=True)
    assertRedirects(response, "/contribuer/merci/")
    assertContains(response, "Merci pour votre suggestion")
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.status) == (SuggestionKind.NEW, SuggestionStatus.PENDING)
    assert suggestion.name == "Repair Café de Moulins"


def test_the_correction_form_is_prefilled_from_the_listing(client, world, token):
    page = client.get(f"/contribuer/?organisation={world.member_a.slug}")
    assertContains(page, "Suggérer une correction de la fiche Les Jardins de Fives")
    assertContains(page, "Maraîchage en insertion.")
    response = client.post(
        f"/contribuer/?organisation={world.member_a.slug}",
        {"token": token, "description": "Maraîchage bio.", "message": "Nouvelle activité."},
    )
    assertRedirects(response, "/contribuer/merci/")
    suggestion = Suggestion.objects.get()
    assert suggestion.organisation == world.member_a
    assert suggestion.author_email == ""  # optional


def test_the_suggestion_link_of_a_listing_opens_the_form(client, world):
    detail = client.get(f"/organisations/{world.member_a.slug}/")
    assertContains(detail, f'href="/contribuer/?organisation={world.member_a.slug}"')
    assert client.get("/contribuer/?organisation=inconnue").status_code == 404


def test_a_new_listing_needs_a_name(client, token):
    response = client.post("/contribuer/", {**NEW, "name": "", "token": token})
    assertContains(response, "Ce champ est obligatoire.")
    assert not Suggestion.objects.exists()


def test_a_robot_filling_the_hidden_field_is_refused(client, token):
    response = client.post("/contribuer/", {**NEW, "token": token, "site_web_bis": "spam.biz"})
    assertContains(response, "envoyé trop vite")
    assert not Suggestion.objects.exists()


def test_a_form_sent_right_after_it_was_served_is_refused(client):
    page = client.get("/contribuer/")
    fresh = page.context["form"].initial["token"]
    response = client.post("/contribuer/", {**NEW, "token": fresh})
    assertContains(response, "envoyé trop vite")
    assertContains(response, 'name="token"')  # a token to try again
    assert not Suggestion.objects.exists()


def test_a_forged_token_is_refused(client):
    response = client.post("/contribuer/", {**NEW, "token": "contribuer:1:faux"})
    assertContains(response, "envoyé trop vite")
    assert not Suggestion.objects.exists()


def test_an_address_sending_too_many_suggestions_waits_an_hour(client, token):
    for _index in range(5):
        assert client.post("/contribuer/", {**NEW, "token": token}).status_code == 302
    response = client.post("/contribuer/", {**NEW, "token": token})
    assert response.status_code == 429
    assertContains(response, "Réessayez dans une heure", status_code=429)
    assert Suggestion.objects.count() == 5
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post("/contribuer/", {**NEW, "token": token}).status_code == 302


def test_the_form_refuses_a_post_without_its_csrf_token(token):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/contribuer/", {**NEW, "token": token}).status_code == 403
    assert not Suggestion.objects.exists()


def test_a_script_in_a_suggestion_is_shown_as_text(client, world, token):
    payload = '<script>alert("xss")</script>'
    client.post(
        "/contribuer/",
        {**NEW, "name": payload, "message": payload, "description": payload, "token": token},
    )
    client.force_login(world.users["moderateur"])
    suggestion = Suggestion.objects.get()
    for url in ("/moderation/", f"/moderation/{suggestion.pk}/"):
        response = client.get(url)
        assertNotContains(response, payload)
        assertContains(response, "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;")


def test_a_person_s_mobile_is_refused_with_the_reason_and_what_was_typed_kept(client, token):
    response = client.post("/contribuer/", {**NEW, "phone": "07 11 22 33 44", "token": token})
    page = response.content.decode()
    assert "Numéro de mobile : indiquez le standard de la structure" in page
    assert 'value="07 11 22 33 44"' in page
    assert not Suggestion.objects.exists()
