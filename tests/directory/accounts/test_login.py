"""One login page for everyone, logout, password reset by email, and the lock-out."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_the_login_page_is_in_french_and_labelled(client):
    response = client.get("/compte/connexion/")
    assertContains(response, "<h1>Connexion</h1>", html=True)
    assertContains(response, '<label for="id_username">')
    assertContains(response, '<label for="id_password">')
    assertContains(response, 'href="/compte/mot-de-passe/oubli/"')


def test_a_person_logs_in_sees_their_networks_and_logs_out(client, world):
    response = client.post(
        "/compte/connexion/", {"username": "editrice-apes", "password": PASSWORD}, follow=True
    )
    assertContains(response, "Connecté en tant que editrice-apes")
    assertContains(response, f'href="/reseaux/{world.network_a.slug}/"')
    assertNotContains(response, world.network_b.slug)
    response = client.post("/compte/deconnexion/")
    assertRedirects(response, "/compte/connexion/")
    assertRedirects(client.get("/compte/"), "/compte/connexion/?next=/compte/")


def test_a_wrong_password_is_refused_without_saying_which_part_is_wrong(client, world):
    response = client.post(
        "/compte/connexion/", {"username": "editrice-apes", "password": "pas-le-bon"}
    )
    assert response.status_code == 200
    assertContains(response, 'role="alert"')
    assert "_auth_user_id" not in client.session


def test_the_old_land_login_address_leads_to_the_shared_page(client):
    response = client.get("/foncier/connexion/?next=/foncier/")
    assertRedirects(response, "/compte/connexion/?next=/foncier/")
    assertRedirects(client.get("/foncier/"), "/compte/connexion/?next=/foncier/")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world):
    for _attempt in range(5):
        client.post("/compte/connexion/", {"username": "editrice-apes", "password": "faux"})
    response = client.post(
        "/compte/connexion/", {"username": "editrice-apes", "password": PASSWORD}
    )
    assert response.status_code == 429
    assertContains(response, "Trop de tentatives de connexion", status_code=429)
    assert "_auth_user_id" not in client.session
    # Another person on the same network is not locked out by somebody else's mistakes.
    response = client.post(
        "/compte/connexion/", {"username": "editeur-cress", "password": PASSWORD}
    )
    assertRedirects(response, "/compte/", fetch_redirect_response=False)


def test_a_forgotten_password_is_reset_through_the_link_sent_by_email(client):
    make_user("camille")
    response = client.post("/compte/mot-de-passe/oubli/", {"email": "camille@exemple.fr"})
    assertRedirects(response, "/compte/mot-de-passe/oubli/envoye/")
    assert len(mail.outbox) == 1
    assert "nouveau mot de passe" in mail.outbox[0].subject
    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    assertContains(response, "Nouveau mot de passe")
    new = "un-tout-nouveau-secret-2026"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assertRedirects(response, "/compte/mot-de-passe/nouveau/termine/")
    response = client.post("/compte/connexion/", {"username": "camille", "password": new})
    assertRedirects(response, "/compte/", fetch_redirect_response=False)


def test_the_role_groups_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Éditeurs de réseau", "Modérateurs", "Services de la Ville"} <= names


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/compte/connexion/", {"username": "editrice-apes", "password": PASSWORD}),
        ("/compte/mot-de-passe/oubli/", {"email": "editrice-apes@exemple.fr"}),
    ],
)
def test_account_forms_refuse_posts_without_their_csrf_token(world, url, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, data).status_code == 403
    assert mail.outbox == []
