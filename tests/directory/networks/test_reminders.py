"""`manage.py network_reminders`: editors hear about their stale listings (dry run first)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def reminders(*args) -> str:
    out = StringIO()
    call_command("network_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_reminders_and_sends_nothing(world):
    output = reminders()
    assert "APES Hauts-de-France : 1 fiches" in output
    assert "editrice-apes@exemple.fr" in output
    assert "répétition" in output
    assert mail.outbox == []


def test_send_emails_each_networks_editors_with_the_dashboard_link(world):
    reminders("--send")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"editrice-apes@exemple.fr", "editeur-cress@exemple.fr"}
    body = by_recipient["editrice-apes@exemple.fr"].body
    assert "- Les Jardins de Fives" in body
    assert "La Recyclerie de Wazemmes" not in body
    assert f"/reseaux/{world.network_a.slug}/fraicheur/" in body
