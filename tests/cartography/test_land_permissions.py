"""/foncier/ is for city services only: anonymous visitors log in, other users get 403."""

import pytest
from django.contrib.auth.models import User

from cartography.models import PremisesNeed
from tests.factories import make_organisation, make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_urls() -> list[str]:
    site = make_premises("Friche Saint-Sauveur")
    need = PremisesNeed.objects.create(
        title="Atelier vélo", contact_name="Lou", contact_email="lou@example.org"
    )
    place = make_organisation("La Maison de l'ESS", kinds=("tiers-lieu",))
    return [
        "/foncier/",
        "/foncier/export.csv",
        "/foncier/export.geojson",
        "/foncier/sites/nouveau/",
        f"/foncier/sites/nouveau/?tiers_lieu={place.slug}",
        "/foncier/tiers-lieux/",
        "/foncier/besoins/",
        f"/foncier/besoins/{need.pk}/",
        f"/foncier/{site.slug}/",
        f"/foncier/{site.slug}/modifier/",
    ]


POST_URLS = ["notes/", "etape/", "proposer/"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, staff_urls):
    for url in staff_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/compte/connexion/?next="), url


def test_anonymous_posts_change_nothing(client):
    site = make_premises("Local rue Gambetta")
    for suffix in POST_URLS:
        response = client.post(
            f"/foncier/{site.slug}/{suffix}", {"text": "x", "to_stage": "qualifie"}
        )
        assert response.status_code == 302
    site.refresh_from_db()
    assert site.pipeline_stage == "identifie"
    assert not site.notes.exists()


def test_ordinary_users_are_refused(client, ordinary_user, staff_urls):
    client.force_login(ordinary_user)
    for url in staff_urls:
        assert client.get(url).status_code == 403, url


def test_ordinary_users_cannot_post_notes_or_moves(client, ordinary_user):
    site = make_premises("Local rue Gambetta")
    client.force_login(ordinary_user)
    for suffix in POST_URLS:
        response = client.post(f"/foncier/{site.slug}/{suffix}", {"text": "x", "to_stage": "x"})
        assert response.status_code == 403
    assert client.post("/foncier/sites/nouveau/", {}).status_code == 403
    need = PremisesNeed.objects.create(title="B", contact_name="L", contact_email="l@example.org")
    assert client.post(f"/foncier/besoins/{need.pk}/statut/", {"status": "clos"}).status_code == 403
    assert client.post(f"/foncier/besoins/{need.pk}/", {"premises": site.pk}).status_code == 403
    assert not site.notes.exists()


def test_admin_staff_without_the_role_is_refused(client, staff_urls):
    admin_staff = User.objects.create_user("equipe", password="x", is_staff=True)
    client.force_login(admin_staff)
    assert client.get("/foncier/").status_code == 403


def test_city_services_and_superusers_get_in(client, staff_client, staff_urls):
    for url in staff_urls:
        assert staff_client.get(url).status_code == 200, url
    boss = User.objects.create_superuser("direction", password="x")
    client.force_login(boss)
    assert client.get("/foncier/").status_code == 200


def test_the_login_page_lets_city_services_in(client, city_staff):
    assert client.get("/compte/connexion/").status_code == 200
    response = client.post(
        "/compte/connexion/?next=/foncier/",
        {"username": "agent", "password": "mot-de-passe-agent", "next": "/foncier/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/foncier/"


def test_the_need_form_is_public(client):
    assert client.get("/foncier/besoins/nouveau/").status_code == 200
    assert client.get("/foncier/besoins/merci/").status_code == 200
