"""Managing and leaving a followed search from its e-mails' links, and what Cartess forgets:
the searches left and those never confirmed (the same `alerts_digest`)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from directory.alerts.links import UNSUBSCRIBE, alert_link_path
from directory.models import AlertAnnouncement, SavedSearch
from tests.directory.alerts.helpers import follow, journey_query, link_in
from tests.factories import make_pathway_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(client) -> SavedSearch:
    follow(client, query=journey_query())
    client.post(link_in(mail.outbox[0].body, "confirmer"))
    return SavedSearch.objects.get()


def _digest() -> None:
    call_command("alerts_digest", stdout=StringIO())


def test_the_manage_page_says_what_is_followed_and_offers_to_leave(client, confirmed):
    html = client.get(link_in(mail.outbox[0].body, "gerer")).content.decode()
    assert "porteuse@exemple.fr" in html
    assert "Active depuis le" in html
    assert 'href="/parcours/?address=' in html
    assert "Me désabonner</button>" in html


def test_the_signed_pages_stay_out_of_caches_and_search_engines(client, confirmed):
    response = client.get(link_in(mail.outbox[0].body, "gerer"))
    assert "no-store" in response["Cache-Control"]
    assert "Disallow: /alertes/" in client.get("/robots.txt").content.decode()


def test_opening_the_unsubscribe_link_asks_and_one_click_leaves(client, confirmed):
    make_pathway_scheme("Entreprendre autrement")
    _digest()
    leave = link_in(mail.outbox[-1].body, "desabonner")
    page = client.get(leave)
    assert page.status_code == 200
    assert "Me désabonner</button>" in page.content.decode()
    confirmed.refresh_from_db()
    assert confirmed.unsubscribed_at is None

    response = client.post(leave)  # the button, or the mail client's one click (RFC 8058)
    assert response.status_code == 200
    assert "ne recevra plus les nouveautés" in response.content.decode()
    confirmed.refresh_from_db()
    assert confirmed.unsubscribed_at is not None
    make_pathway_scheme("Prêt d'honneur solidaire")
    sent = len(mail.outbox)
    _digest()
    assert len(mail.outbox) == sent
    assert not SavedSearch.objects.exists()
    assert not AlertAnnouncement.objects.exists()
    response = client.get(leave)
    assert response.status_code == 410
    assert "Cette recherche n&#x27;est plus suivie" in response.content.decode()


def test_the_mail_client_one_click_needs_no_csrf_token_but_the_signed_link(confirmed):
    strict = Client(enforce_csrf_checks=True)
    forged = link_in(mail.outbox[0].body, "gerer").replace("/gerer/", "/desabonner/")
    assert strict.post(forged, {"List-Unsubscribe": "One-Click"}).status_code == 400
    confirmed.refresh_from_db()
    assert confirmed.unsubscribed_at is None
    leave = alert_link_path(saved_search=confirmed, action=UNSUBSCRIBE)
    assert strict.post(leave, {"List-Unsubscribe": "One-Click"}).status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.unsubscribed_at is not None


def test_requests_never_confirmed_are_forgotten_after_the_stated_days(client, settings):
    settings.CARTESS_ALERTS_UNCONFIRMED_DAYS = 7
    follow(client, email="ancienne@exemple.fr", query=journey_query())
    follow(client, email="recente@exemple.fr", query=journey_query())
    SavedSearch.objects.filter(email="ancienne@exemple.fr").update(
        created_at=timezone.now() - timedelta(days=8)
    )
    _digest()
    assert list(SavedSearch.objects.values_list("email", flat=True)) == ["recente@exemple.fr"]
    old_link = link_in(mail.outbox[0].body, "confirmer")
    assert client.post(old_link).status_code == 410


def test_the_personal_data_page_says_what_alerts_keep_and_how_long(client, settings):
    settings.CARTESS_ALERTS_UNCONFIRMED_DAYS = 7
    html = client.get("/donnees-personnelles/").content.decode()
    assert "Alertes par e-mail" in html
    assert "effacée après 7 jours" in html
