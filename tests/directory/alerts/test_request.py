"""Following a search from `/parcours/` or `/financements/`: an address, confirmed by a click
on a page (a mail scanner opening the link confirms nothing); bad input, robots, abuse."""

import pytest
from django.core import mail
from django.http import QueryDict

from directory.models import SavedSearch
from tests.directory.alerts.helpers import JOURNEY, follow, journey_query, link_in
from tests.factories import make_pathway_scheme

pytestmark = pytest.mark.django_db


def test_the_pathway_result_and_the_funding_page_offer_to_follow_them(client):
    make_pathway_scheme("Entreprendre autrement")
    html = client.get("/parcours/", JOURNEY).content.decode()
    assert "Recevoir les nouveautés par e-mail" in html
    assert 'name="page" value="parcours"' in html
    assert "stage=amorcage" in html
    assert "Recevoir les nouveautés par e-mail" not in client.get("/parcours/").content.decode()
    html = client.get("/financements/", {"stage": "amorcage", "open": "true"}).content.decode()
    assert 'name="page" value="financements"' in html
    assert "stage=amorcage&amp;open=true" in html


def test_a_request_is_confirmed_by_a_click_not_by_opening_the_link(client):
    response = follow(client, query=journey_query())
    assert response.status_code == 302
    assert response["Location"] == "/alertes/demande-envoyee/"
    saved = SavedSearch.objects.get()
    assert saved.email == "porteuse@exemple.fr"
    assert saved.confirmed_at is None
    stored = QueryDict(saved.query)
    assert stored["stage"] == "amorcage"
    assert stored["lat"]
    assert stored["address"].startswith("235 boulevard")
    assert "date" not in stored
    (message,) = mail.outbox
    assert message.to == ["porteuse@exemple.fr"]
    assert "confirmez votre alerte" in message.subject
    confirm = link_in(message.body, "confirmer")

    page = client.get(confirm)
    assert page.status_code == 200
    assert ">Confirmer</button>" in page.content.decode()
    saved.refresh_from_db()
    assert saved.confirmed_at is None

    response = client.post(confirm)
    saved.refresh_from_db()
    assert saved.confirmed_at is not None
    assert response.status_code == 302
    assert response["Location"].startswith("/alertes/gerer/")
    assert "Alerte confirmée" in client.get(response["Location"]).content.decode()


def test_the_funding_page_filters_are_saved_as_its_form_reads_them(client):
    follow(client, page="financements", query="stage=amorcage&open=true&page=2&sector=")
    assert SavedSearch.objects.get().query == "open=true&stage=amorcage"


def test_a_wrong_address_is_said_in_french_and_kept(client):
    response = follow(client, email="porteuse@exemple", query=journey_query())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette adresse e-mail n&#x27;est pas valide" in html
    assert 'value="porteuse@exemple"' in html
    assert not SavedSearch.objects.exists()
    assert not mail.outbox


def test_criteria_the_page_refuses_are_refused(client):
    response = follow(client, query=journey_query(stage="pas-une-etape"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ces critères de recherche ne sont pas valides" in html
    assert 'value="porteuse@exemple.fr"' in html
    assert not SavedSearch.objects.exists()
    response = follow(client, page="annuaire", query="")
    assert response.status_code == 400
    assert not SavedSearch.objects.exists()


def test_a_robot_filling_the_honeypot_stores_and_sends_nothing(client):
    data = {"email": "bot@exemple.fr", "page": "parcours", "criteres": journey_query()}
    response = client.post("/alertes/", data | {"telephone_bis": "0601020304"})
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()
    assert not mail.outbox


def test_requests_are_limited_per_address(client, settings):
    settings.CARTESS_ALERTS_PER_HOUR = 2
    for n in range(2):
        assert follow(client, email=f"p{n}@exemple.fr", query=journey_query()).status_code == 302
    response = follow(client, email="p3@exemple.fr", query=journey_query())
    assert response.status_code == 429
    assert "Réessayez dans une heure" in response.content.decode()
    assert SavedSearch.objects.count() == 2


def test_asking_again_sends_the_link_again_and_a_follower_is_told_so(client):
    follow(client, email="Porteuse@Exemple.fr", query=journey_query())
    follow(client, query=journey_query(date="2026-12-01"))
    assert SavedSearch.objects.count() == 1
    assert len(mail.outbox) == 2
    client.post(link_in(mail.outbox[1].body, "confirmer"))
    follow(client, query=journey_query())
    assert "vous suivez déjà" in mail.outbox[2].subject
    assert "/alertes/confirmer/" not in mail.outbox[2].body
    assert "/alertes/gerer/" in mail.outbox[2].body


def test_a_changed_link_says_so_in_french(client):
    follow(client, query=journey_query())
    confirm = link_in(mail.outbox[0].body, "confirmer")
    response = client.get(confirm.replace("/confirmer/", "/confirmer/x"))
    assert response.status_code == 400
    assert "Ce lien est incomplet ou a été modifié" in response.content.decode()
    manage_as_confirm = link_in(mail.outbox[0].body, "gerer").replace("/gerer/", "/confirmer/")
    assert client.post(manage_as_confirm).status_code == 400
    assert SavedSearch.objects.get().confirmed_at is None


def test_a_unified_search_is_followed_as_the_funding_schemes_it_finds(client):
    make_pathway_scheme("Subvention mobilités", eligibility_text="Associations du vélo.")
    html = client.get("/recherche/", {"q": "vélo", "type": "acteurs"}).content.decode()
    assert 'name="page" value="financements"' in html
    assert 'name="criteres" value="q=v%C3%A9lo&amp;type=acteurs"' in html
    assert "Recevoir les nouveautés par e-mail" not in client.get("/recherche/").content.decode()
    follow(client, page="financements", query="q=v%C3%A9lo&type=acteurs&quartier=")
    assert SavedSearch.objects.get().query == "q=v%C3%A9lo"  # the funding page's criteria
