"""`/reseaux/<slug>/`: a network's members listed and on a map; "Modifier" for its editors."""

import json

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import DRAFT, make_organisation

pytestmark = pytest.mark.django_db


def test_the_public_sees_a_network_and_its_members_on_a_map(client, world):
    response = client.get(f"/reseaux/{world.network_a.slug}/")
    assertContains(response, "<h1>APES Hauts-de-France", html=False)
    assertContains(response, "1 membre")
    assertContains(response, f'href="/organisations/{world.member_a.slug}/"')
    assertNotContains(response, "La Recyclerie de Wazemmes")
    assertNotContains(response, "/modifier/")
    points = json.loads(
        response.content.decode()
        .split('id="network-points" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert points == [
        {"name": "Les Jardins de Fives", "slug": world.member_a.slug, "lat": 50.633, "lon": 3.0871}
    ]
    assertContains(response, 'id="network-map"')
    assertContains(response, "js/network-map.js")


def test_draft_members_stay_hidden(client, world):
    hidden = make_organisation("Projet en brouillon", publication_status=DRAFT)
    world.network_a.members.add(hidden, through_defaults={})
    assertNotContains(client.get(f"/reseaux/{world.network_a.slug}/"), "Projet en brouillon")


def test_an_organisation_that_is_not_a_network_has_no_network_page(client, world):
    assert client.get(f"/reseaux/{world.member_a.slug}/").status_code == 404
    assert client.get("/reseaux/inconnu/").status_code == 404


def test_the_network_editor_gets_an_edit_link_for_each_member(client, world):
    client.force_login(world.users["editeur A"])
    response = client.get(f"/reseaux/{world.network_a.slug}/")
    assertContains(response, f'href="/organisations/{world.member_a.slug}/modifier/"')
    client.force_login(world.users["editeur B"])
    response = client.get(f"/reseaux/{world.network_a.slug}/")
    assertNotContains(response, "/modifier/")


def test_a_network_without_members_shows_its_editor_how_to_add_them(client, world):
    world.network_a.memberships_as_network.all().delete()
    url = f"/reseaux/{world.network_a.slug}/"
    public = client.get(url)
    assertContains(public, "Aucun membre publié pour l'instant.")
    assertNotContains(public, "Ajouter les membres de votre réseau")
    assertNotContains(public, "/import/")
    client.force_login(world.users["editeur A"])
    response = client.get(url)
    assertContains(response, "Ajouter les membres de votre réseau")
    for link in ("import/modele.csv", "import/", "jetons/", "fraicheur/"):
        assertContains(response, f'href="/reseaux/{world.network_a.slug}/{link}"')
    assertContains(response, 'href="/contribuer/"')
    assertContains(response, 'href="/api/schema/"')
    client.force_login(world.users["editeur B"])
    assertNotContains(client.get(url), "Ajouter les membres de votre réseau")
