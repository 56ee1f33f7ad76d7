"""Closed members (`closed_on` set) leave a network's list, its freshness page and reminders.

They are shown apart ("fermée le …"), never counted as active members nor as to verify.
"""

from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from directory.services import organisation_close
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):
    """A published member of APES that closed on 3 March 2025, never verified."""
    member = make_organisation("Café associatif du Vieux-Lille", location=Point(3.06, 50.64))
    world.network_a.members.add(member, through_defaults={})
    return organisation_close(organisation=member, closed_on=date(2025, 3, 3))


def test_the_network_page_shows_a_closed_member_apart_and_does_not_count_it(client, world, closed):
    response = client.get(f"/reseaux/{world.network_a.slug}/")
    page = response.context["page"]
    assert closed not in page.members
    assert page.closed_members == [closed]
    assert closed.slug not in {point["slug"] for point in page.points}
    assertContains(response, "1 membre")
    assertContains(response, "Membres qui ont fermé")
    assertContains(response, "fermée le 3 mars 2025")
    assertContains(response, f'href="/organisations/{closed.slug}/"')


def test_the_freshness_page_never_lists_a_closed_member_to_verify(client, world, closed):
    client.force_login(world.users["editeur A"])
    response = client.get(f"/reseaux/{world.network_a.slug}/fraicheur/")
    assert closed not in [row.member for row in response.context["rows"]]
    assert response.context["closed_members"] == [closed]
    assertContains(response, "fermée le 3 mars 2025")
    assertNotContains(response, f'href="/organisations/{closed.slug}/modifier/"')


def test_no_reminder_is_sent_for_a_closed_member(world, closed):
    call_command("freshness_reminders")
    assert mail.outbox  # the other stale listings are reminded of
    assert all("Café associatif du Vieux-Lille" not in m.body for m in mail.outbox)
