"""`manage.py freshness_reminders`: one e-mail per person, grouping the listings to look at."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from directory.models import FreshnessReminder, LinkCheck, LinkOutcome, OrganisationEditor
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def run(*args, command: str = "freshness_reminders") -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def listings(world):
    """An owned member of APES, an orphan, a confirmed (fresh) member of CRESS."""
    owner = make_user("gerante-jardins")
    OrganisationEditor.objects.create(user=owner, organisation=world.member_a)
    orphan = make_organisation("Ressourcerie de Lomme")
    world.member_b.last_verified_on = timezone.localdate()
    world.member_b.save()
    return owner, orphan


def by_recipient() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def test_owners_network_editors_and_moderators_each_get_one_email(world, listings):
    run()
    sent = by_recipient()
    # The networks themselves are orphans too (no owner, no network): moderators get them.
    assert set(sent) == {
        "gerante-jardins@exemple.fr",
        "editrice-apes@exemple.fr",
        "moderatrice@exemple.fr",
    }
    assert "Les Jardins de Fives" in sent["gerante-jardins@exemple.fr"].body
    assert "Responsable de la fiche" in sent["gerante-jardins@exemple.fr"].body
    assert f"/organisations/{world.member_a.slug}/" in sent["gerante-jardins@exemple.fr"].body
    assert "Éditeur du réseau" in sent["editrice-apes@exemple.fr"].body
    moderators = sent["moderatrice@exemple.fr"]
    assert "Ressourcerie de Lomme" in moderators.body
    assert "APES Hauts-de-France" in moderators.body
    assert "Les Jardins de Fives" not in moderators.body  # it has people to look after it
    assert "La Recyclerie de Wazemmes" not in str([m.body for m in mail.outbox])  # fresh
    assert moderators.subject == "Cartess : 3 fiches à confirmer ou mettre à jour"
    links = re.findall(r"https?://\S+/fraicheur/(confirmer|modifier)/\S+/", moderators.body)
    assert links.count("confirmer") == links.count("modifier") == 3


def test_a_reminder_says_which_website_did_not_answer(world, listings):
    """The broken-link check reaches the people who can fix the address (issue 13)."""
    owner, _orphan = listings
    world.member_a.website = "https://jardins-fives.example.org/"
    world.member_a.save()
    LinkCheck.objects.create(
        url=world.member_a.website,
        checked_at=timezone.now(),
        outcome=LinkOutcome.BROKEN,
        status_code=404,
        reason="la page répond 404",
    )

    run()

    body = by_recipient()[owner.email].body
    assert (
        "Son site web https://jardins-fives.example.org/ ne répondait pas lors de la dernière "
        "vérification (la page répond 404)."
    ) in body
    assert "ne répondait pas" not in by_recipient()["moderatrice@exemple.fr"].body


def test_the_dry_run_lists_the_emails_and_writes_and_sends_nothing(world, listings):
    output = run("--dry-run")
    assert "gerante-jardins@exemple.fr : 1 fiches, à envoyer" in output
    assert "3 courriels à envoyer" in output
    assert mail.outbox == []
    assert not FreshnessReminder.objects.exists()


def test_a_second_run_the_same_day_sends_nothing_again(world, listings):
    run()
    first = len(mail.outbox)
    output = run()
    assert len(mail.outbox) == first
    assert "0 courriels envoyés." in output
    assert FreshnessReminder.objects.filter(sent_on=timezone.localdate()).count() == 5


def test_network_reminders_is_the_former_name_a_dry_run_unless_send(world, listings):
    assert "à envoyer (répétition" in run(command="network_reminders")
    assert mail.outbox == []
    run("--send", command="network_reminders")
    assert "editrice-apes@exemple.fr" in by_recipient()


def test_the_plan_reads_every_listing_in_a_fixed_number_of_queries(
    world, listings, django_assert_max_num_queries
):
    for number in range(40):
        member = make_organisation(f"Épicerie solidaire n°{number}")
        world.network_a.members.add(member)
        if number % 2:
            OrganisationEditor.objects.create(
                user=make_user(f"gerant-{number}"), organisation=member
            )
    make_organisation("Café associatif orphelin")
    with django_assert_max_num_queries(12):
        output = run("--dry-run")
    assert "editrice-apes@exemple.fr : 41 fiches" in output
    assert "gerant-1@exemple.fr : 1 fiches" in output


def test_an_email_names_the_most_urgent_listings_and_the_rest_come_next_time(
    world, listings, settings
):
    settings.CARTESS_FRESHNESS_LISTINGS_PER_EMAIL = 2
    world.network_a.members.add(*(make_organisation(f"Épicerie n°{n}") for n in range(2)))
    long_ago = timezone.localdate().replace(year=2020)
    world.network_a.members.add(make_organisation("Garage solidaire", last_verified_on=long_ago))
    run()
    body = by_recipient()["editrice-apes@exemple.fr"].body
    assert body.index("Garage solidaire : Obsolète") < body.index("Les Jardins de Fives")
    assert "Épicerie" not in body
    assert "Et 2 autres fiches, dans les prochains rappels." in body
    mail.outbox.clear()
    yesterday = timezone.localdate() - timedelta(days=1)
    FreshnessReminder.objects.update(sent_on=yesterday)  # as if the next run came a day later
    run()
    body = by_recipient()["editrice-apes@exemple.fr"].body
    assert "Épicerie n°0" in body
    assert "Épicerie n°1" in body
    assert "Garage solidaire" not in body
