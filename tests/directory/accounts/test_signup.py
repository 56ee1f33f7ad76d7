"""A structure's person signs up, confirms their address by the e-mailed link, logs in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.core.signing import TimestampSigner
from pytest_django.asserts import assertContains, assertRedirects

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "coordination@jardins-de-fives.fr"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, email=EMAIL, password=PASSWORD, repeat=None, **extra):
    data = {"email": email, "password1": password, "password2": repeat or password, **extra}
    return client.post("/compte/inscription/", data)


def confirmation_link() -> str:
    return re.search(r"http://testserver(/compte/confirmer/[^/\s]+/)", mail.outbox[-1].body)[1]


def test_the_login_page_offers_to_create_an_account_and_keeps_where_to_go(client):
    response = client.get("/compte/connexion/?next=/organisations/x/revendiquer/")
    assertContains(response, 'href="/compte/inscription/?next=/organisations/x/revendiquer/"')
    signup = client.get("/compte/inscription/?next=/organisations/x/revendiquer/")
    assertContains(signup, "<h1>Créer un compte</h1>", html=True)
    assertContains(signup, 'name="next" value="/organisations/x/revendiquer/"')


def test_sign_up_confirm_by_the_link_then_log_in(client):
    response = sign_up(client)
    assertRedirects(response, "/compte/inscription/courriel-envoye/")
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert "Pour la confirmer, ouvrez ce lien" in mail.outbox[0].body

    link = confirmation_link()
    assertContains(client.get(link), "Confirmez que coordination@jardins-de-fives.fr")
    client.post(link)
    assert EmailAddress.objects.get(email=EMAIL).verified

    client.logout()
    logged = client.post("/compte/connexion/", {"username": EMAIL, "password": PASSWORD})
    assertRedirects(logged, "/compte/")
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=EMAIL).pk


def test_an_unconfirmed_address_cannot_log_in_and_gets_a_new_link(client):
    sign_up(client)
    mail.outbox.clear()
    response = client.post("/compte/connexion/", {"username": EMAIL, "password": PASSWORD})
    assertContains(response, "n&#x27;est pas encore confirmée")
    assert "_auth_user_id" not in client.session
    assert mail.outbox == []  # the sign-up's link left less than three minutes ago
    cache.clear()  # three minutes later
    client.post("/compte/connexion/", {"username": EMAIL, "password": PASSWORD})
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert "_auth_user_id" not in client.session


def test_a_used_link_says_so_in_french(client):
    sign_up(client)
    link = confirmation_link()
    client.post(link)
    client.logout()
    assertContains(client.get(link), "Ce lien de confirmation a expiré ou a déjà servi.")


def test_an_expired_link_says_so_in_french(client, settings):
    sign_up(client)
    link = confirmation_link()
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0  # every link is now too old
    assertContains(client.get(link), "Ce lien de confirmation a expiré ou a déjà servi.")
    assert not EmailAddress.objects.get(email=EMAIL).verified


def test_a_forged_link_says_so_in_french(client):
    forged = TimestampSigner().sign("1")
    response = client.get(f"/compte/confirmer/{forged}/")
    assertContains(response, "Ce lien de confirmation a expiré ou a déjà servi.")


def test_a_bad_form_keeps_the_address_typed_and_says_what_to_fix(client):
    response = sign_up(client, repeat="un-autre-mot-de-passe-2026")
    assert response.status_code == 200
    assertContains(response, f'value="{EMAIL}"')
    assertContains(response, 'class="field-error"')
    assert not User.objects.filter(email=EMAIL).exists()
    assert mail.outbox == []


def test_signing_up_with_a_known_address_tells_its_owner_not_the_stranger(client):
    User.objects.create_user("lou", email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(email=EMAIL, user=User.objects.get(), verified=True)
    response = sign_up(client)
    assertRedirects(response, "/compte/inscription/courriel-envoye/")
    assert User.objects.filter(email=EMAIL).count() == 1
    assert mail.outbox[0].subject.endswith("Vous avez déjà un compte")


def test_sign_ups_are_rate_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for number in range(2):
        sign_up(client, email=f"contact{number}@structure.fr")
    response = sign_up(client, email="contact9@structure.fr")
    assertContains(response, "Trop de demandes", status_code=429)
    assert not User.objects.filter(email="contact9@structure.fr").exists()


def test_a_person_created_by_an_administrator_still_logs_in_by_username(client, world):
    response = client.post(
        "/compte/connexion/", {"username": "editrice-apes", "password": PASSWORD}
    )
    assertRedirects(response, "/compte/")
