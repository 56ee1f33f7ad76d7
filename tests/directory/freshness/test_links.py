"""A reminder's signed links: "toujours à jour" and "modifier", once, before they expire."""

import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from directory.freshness.links import CONFIRM, EDIT, SALT, reminder_link_token
from directory.history import CONFIRM_LINK_REASON, REMINDER_EDIT_REASON
from directory.models import FreshnessReminder, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(world) -> dict[str, str]:
    """The paths of the two links the APES editor got for Les Jardins de Fives."""
    call_command("freshness_reminders")
    message = next(m for m in mail.outbox if m.to == ["editrice-apes@exemple.fr"])
    found = re.findall(r"https?://[^/\s]+(/fraicheur/(confirmer|modifier)/\S+/)", message.body)
    return {action: path for path, action in found}


def test_confirming_sets_verified_today_in_the_recipients_name(client, world, links):
    page = client.get(links[CONFIRM])
    assertContains(page, "Oui, la fiche est toujours à jour")
    assert Organisation.objects.get(pk=world.member_a.pk).last_verified_on is None  # GET reads
    response = client.post(links[CONFIRM], follow=True)
    assertRedirects(response, f"/organisations/{world.member_a.slug}/")
    assertContains(response, "la fiche est confirmée à jour aujourd&#x27;hui")
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.last_verified_on == timezone.localdate()
    latest = member.history.latest("history_date")
    assert latest.history_user == world.users["editeur A"]
    assert latest.history_change_reason == CONFIRM_LINK_REASON


def test_a_used_link_says_so(client, world, links):
    client.post(links[CONFIRM])
    again = client.post(links[CONFIRM])
    assert again.status_code == 410
    assertContains(again, "Ce lien a déjà servi", status_code=410)
    assertContains(again, "connectez-vous à votre compte", status_code=410)


def test_a_tampered_link_says_so(client, world, links):
    path = links[CONFIRM]
    response = client.get(path[:-3] + "xy/")
    assertContains(response, "Ce lien est incomplet ou a été modifié", status_code=400)
    reminder = FreshnessReminder.objects.get(user=world.users["editeur A"])
    edit_token = reminder_link_token(reminder=reminder, action=EDIT)
    # A valid signature for the other action does not confirm.
    assert client.post(f"/fraicheur/confirmer/{edit_token}/").status_code == 400
    assert Organisation.objects.get(pk=world.member_a.pk).last_verified_on is None


def test_an_expired_link_says_so(client, world, links, settings):
    reminder = FreshnessReminder.objects.get(user=world.users["editeur A"])
    signer = signing.TimestampSigner(salt=SALT)
    signer.timestamp = lambda: signing.b62_encode(int(timezone.now().timestamp()) - 31 * 86400)
    old = signer.sign_object({"r": reminder.pk, "a": CONFIRM})
    response = client.post(f"/fraicheur/confirmer/{old}/")
    assertContains(
        response, "Ce lien a expiré : il n&#x27;est valable que 30 jours", status_code=410
    )
    assert Organisation.objects.get(pk=world.member_a.pk).last_verified_on is None


def test_a_person_who_lost_the_right_cannot_use_the_link(client, world, links):
    world.users["editeur A"].network_editor_roles.all().delete()
    assertContains(client.get(links[CONFIRM]), "vous n&#x27;en êtes plus", status_code=403)


def test_the_edit_link_opens_that_listing_only_for_that_visit(client, world, links):
    assertContains(client.get(links[EDIT]), "Ouvrir le formulaire de modification")
    response = client.post(links[EDIT])
    edit = f"/organisations/{world.member_a.slug}/modifier/"
    assertRedirects(response, edit)
    assertContains(client.get(edit), "Maraîchage en insertion.")
    other = client.get(f"/organisations/{world.member_b.slug}/modifier/")
    assert other["Location"].startswith("/compte/connexion/")
    saved = client.post(edit, {"description": "Maraîchage bio en insertion.", "city": "Lille"})
    assertRedirects(saved, f"/organisations/{world.member_a.slug}/")
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.description == "Maraîchage bio en insertion."
    assert member.last_verified_on is None  # an edit is an update, not a confirmation
    latest = member.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        world.users["editeur A"],
        REMINDER_EDIT_REASON,
    )
    # The visit's right ends with the saved edit, and the link worked once.
    assert client.get(edit)["Location"].startswith("/compte/connexion/")
    assertContains(client.post(links[EDIT]), "Ce lien a déjà servi", status_code=410)


def test_an_editor_confirms_from_the_listing_page(client, world):
    client.force_login(world.users["editeur A"])
    page = client.get(f"/organisations/{world.member_a.slug}/")
    assertContains(page, "Je confirme que la fiche est à jour")
    client.post(f"/organisations/{world.member_a.slug}/confirmer/")
    assert Organisation.objects.get(pk=world.member_a.pk).last_verified_on == timezone.localdate()
    client.force_login(world.users["editeur B"])
    assert client.post(f"/organisations/{world.member_a.slug}/confirmer/").status_code == 403
    assert (
        "Je confirme" not in client.get(f"/organisations/{world.member_a.slug}/").content.decode()
    )
