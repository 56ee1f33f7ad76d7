"""The login lockout cannot be turned against a person: it counts failures per username and
per visitor's address, that address comes from the trusted proxy only, the page says what
happened, and an administrator lifts a lockout."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from config.client_address import client_address_settings
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
#: The address of nginx in docker-compose's network: every proxied request comes from it.
PROXY = "172.18.0.5"
ATTACKER = "81.250.12.34"
VICTIM = "90.12.34.56"


def fail_five_times(client: Client, username: str, **headers) -> None:
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": username, "password": "devine"}, **headers)


def log_in(client: Client, username: str, **headers):
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, **headers)


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in client_address_settings(trusted_proxies=1).items():
        setattr(settings, name, value)


def test_by_default_only_the_connection_address_counts():
    assert django_settings.CARTESS_TRUSTED_PROXY_COUNT == 0
    assert django_settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(client):
    """Changing X-Forwarded-For at each try does not escape the lockout of one's address."""
    make_user("camille")
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "camille", "password": "devine"},
            HTTP_X_FORWARDED_FOR=f"81.250.12.{attempt}",
        )

    response = log_in(client, "camille", HTTP_X_FORWARDED_FOR="90.12.34.56")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_the_proxy_two_visitors_do_not_lock_each_other_out(behind_one_proxy):
    make_user("camille")
    attacker, victim = Client(REMOTE_ADDR=PROXY), Client(REMOTE_ADDR=PROXY)
    fail_five_times(attacker, "camille", HTTP_X_FORWARDED_FOR=ATTACKER)

    # The attacker is locked out, even with the right password...
    assert log_in(attacker, "camille", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    # ...and even writing the victim's address before their own (nginx appends the real one).
    forged = f"{VICTIM}, {ATTACKER}"
    assert log_in(attacker, "camille", HTTP_X_FORWARDED_FOR=forged).status_code == 429
    # The person logs in from their own address, through the same proxy.
    response = log_in(victim, "camille", HTTP_X_FORWARDED_FOR=VICTIM)
    assertRedirects(response, "/compte/", fetch_redirect_response=False)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_the_lockout_page_says_what_happened_when_to_retry_and_whom_to_ask(client, settings):
    settings.CARTESS_CONTACT_EMAIL = "ess@mairie-lille.fr"
    make_user("camille")
    fail_five_times(client, "camille")

    response = log_in(client, "camille")

    assert response.status_code == 429
    assertContains(response, "<h1>Trop de tentatives de connexion</h1>", status_code=429)
    assertContains(response, "suspendue depuis cette adresse seulement", status_code=429)
    assertContains(response, "Réessayez dans 60 minutes", status_code=429)
    assertContains(
        response, '<a href="mailto:ess@mairie-lille.fr">ess@mairie-lille.fr</a>', status_code=429
    )
    assertContains(response, "un administrateur peut lever le blocage", status_code=429)


def test_an_administrator_unlocks_a_person_from_the_admin(client):
    make_user("camille")
    visitor = Client()
    fail_five_times(visitor, "camille")
    assert log_in(visitor, "camille").status_code == 429
    client.force_login(make_user("direction", is_staff=True, is_superuser=True))

    listing = client.get("/admin/axes/accessattempt/")
    assertContains(listing, "Débloquer")
    response = client.post(
        "/admin/axes/accessattempt/",
        {
            "action": "unlock",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )

    assertContains(response, "1 connexion débloquée.")
    assertRedirects(log_in(visitor, "camille"), "/compte/", fetch_redirect_response=False)
