"""A network's freshness dashboard: which members' listings to verify or complete first."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_editor_sees_what_each_member_lacks_most_incomplete_first(client, world):
    complete = Organisation.objects.filter(pk=world.member_a.pk)
    complete.update(
        last_verified_on=timezone.localdate() - timedelta(days=30),
        siret="50100001200010",
        siren="501000012",
        email="contact@jardins.example.org",
    )
    old = world.network_a.members.create(
        name="Épicerie solidaire de Moulins",
        slug="epicerie-moulins",
        last_verified_on=timezone.localdate() - timedelta(days=400),
    )
    client.force_login(world.users["editeur A"])
    assertContains(client.get(f"/reseaux/{world.network_a.slug}/"), "Fraîcheur des fiches")
    response = client.get(f"/reseaux/{world.network_a.slug}/fraicheur/")
    rows = response.context["rows"]
    assert [row.member for row in rows] == [old, world.member_a]
    assert (rows[0].stale, rows[0].no_location, rows[0].no_contact, rows[0].no_siret) == (
        True,
        True,
        True,
        True,
    )
    assert rows[1].complete
    assertContains(response, "<strong>À actualiser</strong>", html=False)
    assertContains(response, f'href="/organisations/{old.slug}/modifier/"')


@pytest.mark.parametrize(
    ("role", "status"),
    [("utilisateur", 403), ("editeur B", 403), ("ville", 403), ("moderateur", 200)],
)
def test_only_the_networks_editors_and_moderators_see_it(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(f"/reseaux/{world.network_a.slug}/fraicheur/").status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(f"/reseaux/{world.network_a.slug}/fraicheur/")
    assert response["Location"].startswith("/compte/connexion/?next=")
