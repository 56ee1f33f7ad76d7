"""Issue 16, "Mobiliser": a project holder asks an actor to take their project on."""

import re

import pytest
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import FundingInstrument, Mobilisation, MobilisationStatus, Stage
from tests.factories import make_organisation, make_support_offer

pytestmark = pytest.mark.django_db


def _url(organisation) -> str:
    return f"/organisations/{organisation.slug}/mobiliser/"


def test_the_holder_mobilises_a_funder_from_its_scheme(
    client, actors, form, django_capture_on_commit_callbacks
):
    scheme_page = client.get(f"/financements/{actors.scheme.slug}/")
    link = f"{_url(actors.funder)}?dispositif={actors.scheme.slug}"
    assertContains(scheme_page, link.replace("&", "&amp;"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {**form, "dispositif": actors.scheme.slug})
    request = Mobilisation.objects.get()
    assert request.organisation == actors.funder
    assert request.funding_scheme == actors.scheme
    assert request.status == MobilisationStatus.RECEIVED
    assert request.consent_at is not None
    to_actor, to_holder = mail.outbox
    assert to_actor.to == ["contact@franceactive.fr", "proprietaire-fa@exemple.fr"]
    assert "Un atelier de réparation de vélos" in to_actor.body
    assert "lou@exemple.fr" in to_actor.body
    assert to_holder.to == ["lou@exemple.fr"]
    follow = re.search(r"https?://\S+/demandes/suivi/\S+/", to_holder.body)[0]
    assert response.status_code == 302
    assert follow.endswith(response["Location"])
    page = Client().get(response["Location"])
    assertContains(page, "Reçue")
    assertContains(page, "France Active Hauts-de-France")


def test_network_editors_of_a_member_receive_the_request(
    client, world, form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(world.member_a), form)
    assert mail.outbox[0].to == ["editrice-apes@exemple.fr"]


def test_an_actor_nobody_could_receive_says_so_before_anything_is_typed(client, form):
    silent = make_organisation("Café associatif sans courriel")
    page = client.get(_url(silent))
    assertContains(page, "ne pourrait être transmise à personne")
    assertNotContains(page, "Envoyer ma demande")
    client.post(_url(silent), form)
    assert not Mobilisation.objects.exists()
    assert not mail.outbox


def test_a_mistake_keeps_what_was_typed_and_says_it_in_french(client, actors, form):
    response = client.post(_url(actors.funder), {**form, "holder_email": "", "consent": ""})
    assertContains(response, "Indiquez votre courriel")
    assertContains(response, "Sans votre accord, la demande ne peut pas être transmise.")
    assertContains(response, "Un atelier de réparation de vélos à Fives")
    assertContains(response, 'value="Lou Martin"')
    assert not Mobilisation.objects.exists()


def test_a_robot_filling_the_hidden_field_sends_nothing(client, actors, form):
    response = client.post(_url(actors.funder), {**form, "site_web_bis": "http://spam"})
    assertContains(response, "envoyé trop vite")
    assert not Mobilisation.objects.exists()


def test_an_address_sending_too_many_requests_waits_an_hour(client, actors, form):
    for _index in range(5):
        assert client.post(_url(actors.funder), form).status_code == 302
    response = client.post(_url(actors.funder), form)
    assert response.status_code == 429
    assert "Cette connexion a envoyé beaucoup de demandes" in response.content.decode()
    assert "Un atelier de réparation de vélos à Fives" in response.content.decode()  # kept
    assert Mobilisation.objects.count() == 5
    assert Client(REMOTE_ADDR="192.0.2.44").post(_url(actors.funder), form).status_code == 302


def test_a_forged_follow_link_is_not_found(client, actors, form):
    client.post(_url(actors.funder), form)
    request = Mobilisation.objects.get()
    assert client.get(f"/demandes/suivi/{request.pk}/").status_code == 404
    assert client.get(f"/demandes/suivi/{request.pk}:faux/").status_code == 404


def test_the_organisation_page_and_a_pathway_result_lead_to_the_form(client, actors):
    assertContains(client.get(f"/organisations/{actors.funder.slug}/"), _url(actors.funder))
    offer = make_support_offer("Incubateur de la Fabrique", provider=actors.funder)
    page = client.get(f"/accompagnements/{offer.slug}/")
    assertContains(page, f"{_url(actors.funder)}?accompagnement={offer.slug}")
    form_page = client.get(f"{_url(actors.funder)}?accompagnement={offer.slug}&etape=amorcage")
    assertContains(form_page, "Incubateur de la Fabrique")


def test_a_closed_or_unpublished_actor_cannot_be_mobilised(client, actors):
    actors.funder.closed_on = "2026-01-01"
    actors.funder.save()
    assert client.get(_url(actors.funder)).status_code == 404


def test_each_pathway_result_offers_to_mobilise_its_funder_at_the_chosen_stage(client, actors):
    actors.scheme.stages.set(Stage.objects.filter(slug="amorcage"))
    actors.scheme.instruments.set(FundingInstrument.objects.filter(slug="subvention"))
    actors.scheme.territory_scope = "region"
    actors.scheme.territory_label = "Hauts-de-France"
    actors.scheme.save()
    result = client.get("/parcours/", {"stage": "amorcage", "where": "lille"})
    link = f"{_url(actors.funder)}?dispositif={actors.scheme.slug}&amp;etape=amorcage"
    assertContains(result, link)
    assertContains(result, "Mobiliser France Active Hauts-de-France")
    form_page = client.get(link.replace("&amp;", "&"))
    assertContains(form_page, "Prêt d&#x27;honneur solidaire")
    assertContains(form_page, f'<option value="{Stage.objects.get(slug="amorcage").pk}" selected>')
