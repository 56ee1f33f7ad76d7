"""Moderators read a record's versions on the site and bring an old one back, with a reason."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from directory.models import Organisation
from tests.factories import make_funding_scheme, make_support_offer, make_user

pytestmark = pytest.mark.django_db


def edit(client, organisation: Organisation, **values) -> None:
    form = {"description": "", "street": "", "postcode": "", "city": "", "sectors": []}
    response = client.post(f"/organisations/{organisation.slug}/modifier/", {**form, **values})
    assert response.status_code == 302


@pytest.fixture
def vandalised(client, world):
    client.force_login(world.users["editeur A"])
    edit(client, world.member_a, description="<script>alert('vandale')</script>")
    return world.member_a


def history_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/historique/"


def test_a_moderator_sees_who_when_where_and_the_diff(client, world, vandalised):
    client.force_login(world.users["moderateur"])
    page = client.get(history_url(vandalised))
    assert page.status_code == 200
    assertContains(page, "édition réseau")
    assertContains(page, "editrice-apes")
    assertContains(page, "Maraîchage en insertion.")  # before
    assertContains(page, "&lt;script&gt;alert")  # after, never rendered as HTML
    assertNotContains(page, "<script>alert")
    assertContains(page, "Revenir à cette version")


def test_reverting_restores_the_old_values_and_records_an_annulation(client, world, vandalised):
    moderator = make_user("moderateur-sans-admin", groups=("Modérateurs",))
    assert not moderator.is_staff
    client.force_login(moderator)
    first = vandalised.history.last()
    response = client.post(
        f"{history_url(vandalised)}{first.history_id}/revenir/", {"reason": "vandalisme"}
    )
    assert response["Location"] == history_url(vandalised)
    vandalised.refresh_from_db()
    assert vandalised.description == "Maraîchage en insertion."
    last = vandalised.history.first()
    assert last.history_user == moderator
    assert last.history_change_reason == "annulation : vandalisme"


def test_a_revert_needs_a_reason(client, world, vandalised):
    client.force_login(world.users["moderateur"])
    first = vandalised.history.last()
    response = client.post(f"{history_url(vandalised)}{first.history_id}/revenir/", {"reason": ""})
    assertContains(response, "Ce champ est obligatoire", status_code=400)
    vandalised.refresh_from_db()
    assert "vandale" in vandalised.description


def test_a_revert_needs_the_csrf_token(world, vandalised):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["moderateur"])
    first = vandalised.history.last()
    response = client.post(
        f"{history_url(vandalised)}{first.history_id}/revenir/", {"reason": "vandalisme"}
    )
    assert response.status_code == 403
    vandalised.refresh_from_db()
    assert "vandale" in vandalised.description


@pytest.mark.parametrize(("role", "status"), [("editeur A", 403), ("utilisateur", 403)])
def test_only_moderators_see_the_history(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(history_url(world.member_a)).status_code == status


def test_a_funding_scheme_has_its_history_page_too(client, world):
    scheme = make_funding_scheme("Prêt d'honneur France Active", description="Version 1.")
    scheme.description = "Version 2."
    scheme.save()
    client.force_login(world.users["moderateur"])
    page = client.get(f"/financements/{scheme.slug}/historique/")
    assertContains(page, "Version 1.")
    first = scheme.history.last()
    client.post(
        f"/financements/{scheme.slug}/historique/{first.history_id}/revenir/",
        {"reason": "erreur de saisie"},
    )
    scheme.refresh_from_db()
    assert scheme.description == "Version 1."


def test_a_version_that_breaks_a_rule_of_today_is_refused_in_french(client, world):
    siret = "50100001200010"
    Organisation.objects.filter(pk=world.member_a.pk).update(siret=siret, siren=siret[:9])
    world.member_a.refresh_from_db()
    world.member_a.save()  # a version with the SIRET
    with_siret = world.member_a.history.first()
    world.member_a.siret, world.member_a.siren = "", ""
    world.member_a.save()
    Organisation.objects.filter(pk=world.member_b.pk).update(siret=siret, siren=siret[:9])
    client.force_login(world.users["moderateur"])
    response = client.post(
        f"{history_url(world.member_a)}{with_siret.history_id}/revenir/", {"reason": "erreur"}
    )
    assertContains(response, "Cette version ne peut pas être rétablie", status_code=400)
    assertContains(response, "Une autre fiche a déjà ce SIRET.", status_code=400)
    world.member_a.refresh_from_db()
    assert world.member_a.siret == ""


@pytest.mark.parametrize(
    ("role", "shown"),
    [("anonyme", False), ("editeur A", False), ("moderateur", True)],
)
def test_offer_pages_link_to_their_history_for_moderators_only(client, world, role, shown):
    scheme = make_funding_scheme("Prêt d'honneur France Active")
    offer = make_support_offer("Incubateur de la MESS")
    if world.users[role]:
        client.force_login(world.users[role])
    for page, history in (
        (f"/financements/{scheme.slug}/", f"/financements/{scheme.slug}/historique/"),
        (f"/accompagnements/{offer.slug}/", f"/accompagnements/{offer.slug}/historique/"),
    ):
        assert (history in client.get(page).content.decode()) is shown
