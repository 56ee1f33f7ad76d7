"""Error pages speak French, in the site's layout (a 500 in a page of its own: it must
render even when the database or a context processor is what failed)."""

import pytest
from django.test import RequestFactory, override_settings
from django.views import defaults

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_french_404_in_the_site_s_layout(client):
    response = client.get("/organisations/cette-fiche-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert 'class="site-nav"' in page


def test_a_refused_page_is_a_french_403(client):
    client.force_login(make_user("visiteuse"))
    response = client.get("/moderation/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_is_a_french_page_without_a_traceback():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Erreur du serveur" in page
    assert "Traceback" not in page


def test_a_bad_request_is_a_french_400_in_the_site_s_layout(client):
    # An unknown Host header is a SuspiciousOperation: Django answers with handler400.
    response = client.get("/annuaire/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Demande incorrecte" in page
    assert 'class="site-nav"' in page
    assert "Bad Request" not in page
