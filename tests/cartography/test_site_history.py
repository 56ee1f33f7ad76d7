"""A site's history in /foncier/: for the city services, with its staff-only facts; revert."""

import pytest
from django.contrib.auth.models import Group, User
from pytest_django.asserts import assertContains, assertNotContains

from cartography.models import PipelineStage, Premises
from tests.factories import make_premises

pytestmark = pytest.mark.django_db


@pytest.fixture
def site() -> Premises:
    site = make_premises("Friche rue de Valenciennes", owner_name="SCI des Halles")
    site.owner_name = "Ville de Lille"
    site.save()
    return site


def history_url(site: Premises) -> str:
    return f"/foncier/{site.slug}/historique/"


def test_city_staff_read_who_changed_what_including_staff_only_facts(staff_client, site):
    page = staff_client.get(history_url(site))

    assertContains(page, "SCI des Halles")
    assertContains(page, "Ville de Lille")
    # A point is shown as coordinates, not as a raw geometry.
    assertNotContains(page, "SRID=4326")
    assertContains(page, "point 50.6")


def test_moderators_who_are_not_city_staff_are_refused(client, site):
    moderator = User.objects.create_user("moderatrice")
    moderator.groups.add(Group.objects.get(name="Modérateurs"))
    client.force_login(moderator)

    assert client.get(history_url(site)).status_code == 403
    first = site.history.last()
    revert = client.post(f"{history_url(site)}{first.history_id}/revenir/", {"reason": "x"})
    assert revert.status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, site):
    response = client.get(history_url(site))

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_reverting_brings_the_old_owner_back_but_keeps_the_pipeline_stage(staff_client, site):
    first = site.history.last()
    Premises.objects.filter(pk=site.pk).update(pipeline_stage=PipelineStage.QUALIFIED)

    response = staff_client.post(
        f"{history_url(site)}{first.history_id}/revenir/", {"reason": "erreur de saisie"}
    )

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.owner_name == "SCI des Halles"
    assert site.pipeline_stage == PipelineStage.QUALIFIED
    assert site.history.first().history_change_reason == "annulation : erreur de saisie"


def test_the_site_page_links_to_its_history(staff_client, site):
    assertContains(staff_client.get(f"/foncier/{site.slug}/"), history_url(site))
