"""A listing's freshness: "à jour", "à actualiser", "obsolète", at the day each one starts."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from directory.freshness.states import (
    FreshnessState,
    freshness_of,
    months_after,
    organisation_freshness_annotate,
)
from directory.history import history_reason
from directory.models import Organisation, OrganisationKind, Provenance, Source
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
FRESH, DUE, OBSOLETE = FreshnessState.FRESH, FreshnessState.DUE, FreshnessState.OBSOLETE


def state_of(organisation: Organisation, today: datetime.date = TODAY) -> FreshnessState:
    queryset = Organisation.objects.filter(pk=organisation.pk)
    return freshness_of(organisation_freshness_annotate(queryset, today=today).get()).state


@pytest.mark.parametrize(
    ("verified_on", "state"),
    [
        (datetime.date(2025, 12, 4), FRESH),  # 12 months less a day
        (datetime.date(2025, 12, 3), DUE),  # 12 months to the day: à actualiser from today
        (datetime.date(2024, 12, 4), DUE),  # 24 months less a day
        (datetime.date(2024, 12, 3), OBSOLETE),  # twice the period
    ],
)
def test_a_confirmed_listing_ages_with_the_period_of_its_kind(verified_on, state):
    organisation = make_organisation("Les Jardins de Fives", last_verified_on=verified_on)
    assert state_of(organisation) == state


def test_the_shortest_period_of_its_kinds_applies():
    OrganisationKind.objects.filter(slug="financeur").update(update_every_months=6)
    organisation = make_organisation(
        "France Active Hauts-de-France",
        kinds=("financeur", "accompagnement"),
        last_verified_on=datetime.date(2026, 6, 3),
    )
    assert state_of(organisation) == DUE
    assert state_of(organisation, today=datetime.date(2026, 12, 2)) == FRESH
    detail = freshness_of(
        organisation_freshness_annotate(
            Organisation.objects.filter(pk=organisation.pk), today=TODAY
        ).get()
    )
    assert (detail.months, detail.due_on) == (6, datetime.date(2026, 12, 3))


def test_a_listing_nobody_vouched_for_is_to_update_then_obsolete_after_twice_the_period():
    organisation = make_organisation("Ressourcerie de Lomme")
    assert state_of(organisation, today=timezone.localdate()) == DUE
    Organisation.objects.filter(pk=organisation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2 * 366)
    )
    assert state_of(organisation, today=timezone.localdate()) == OBSOLETE


def test_a_persons_edit_counts_but_an_open_data_import_does_not():
    organisation = make_organisation("Ressourcerie de Lomme")
    Organisation.objects.filter(pk=organisation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3 * 365)
    )
    organisation.refresh_from_db()
    with history_reason("import sirene"):
        organisation.phone = "03 20 00 00 00"
        organisation.save()
    assert state_of(organisation, today=timezone.localdate()) == OBSOLETE
    with history_reason("édition réseau"):
        organisation.phone = "03 20 00 00 01"
        organisation.save()
    annotated = organisation_freshness_annotate(
        Organisation.objects.filter(pk=organisation.pk), today=timezone.localdate()
    ).get()
    assert freshness_of(annotated).state == FRESH
    assert freshness_of(annotated).how == "modifiée par une personne"
    assert annotated.last_verified_on is None


def test_a_member_a_network_just_sent_is_up_to_date_not_never_verified(client, world):
    source, _created = Source.objects.get_or_create(
        slug="network-csv", defaults={"name": "Membres déclarés par les réseaux"}
    )
    Provenance.objects.create(
        source=source,
        external_id="apes:jardins",
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=world.member_a.pk,
        content_hash="0" * 64,
        first_seen_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    assert state_of(world.member_a, today=timezone.localdate()) == FRESH
    client.force_login(world.users["editeur A"])
    html = client.get(f"/reseaux/{world.network_a.slug}/fraicheur/").content.decode()
    assert "transmise par son réseau le" in html
    assert "Jamais" not in html
    page = client.get(f"/organisations/{world.member_a.slug}/").content.decode()
    assert "Fiche transmise par son réseau le" in page
    public = client.get(f"/reseaux/{world.network_a.slug}/").content.decode()
    assert "À jour (transmise par son réseau le" in public


def test_the_freshness_page_reads_every_member_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for number in range(30):
        world.network_a.members.create(name=f"Épicerie solidaire n°{number}", slug=f"epi-{number}")
    client.force_login(world.users["editeur A"])
    with django_assert_max_num_queries(8):
        response = client.get(f"/reseaux/{world.network_a.slug}/fraicheur/")
    assert len(response.context["rows"]) == 31


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 12, 3), 12, datetime.date(2026, 12, 3)),
        (datetime.date(2025, 11, 30), 3, datetime.date(2026, 2, 28)),
    ],
)
def test_months_after_clips_to_the_end_of_a_shorter_month(day, months, expected):
    assert months_after(day, months) == expected


def test_the_page_shows_the_state_its_date_and_when_to_confirm_again(client):
    confirmed = timezone.localdate() - datetime.timedelta(days=30)
    organisation = make_organisation("Atelier vélo de Fives", last_verified_on=confirmed)
    html = client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert '<strong class="tag freshness__state">À jour</strong>' in html
    due = months_after(confirmed, 12)
    assert f"À confirmer ou mettre à jour avant le {due.day} " in html
    assert "Une mise à jour est attendue tous les 12 mois." in html


def test_the_state_reads_the_last_update_once_not_once_per_branch():
    # Django copies an annotation into every expression that reads it: the CASE of the
    # state read the last update (two subqueries) in each branch, 7,700 characters of SQL
    # built on every detail page. Now the columns and the state read each subquery once.
    queryset = organisation_freshness_annotate(Organisation.objects.all(), today=TODAY)
    sql = str(queryset.query)

    assert sql.count("MIN(") == 2  # the period: its column, the state
    assert (
        sql.count("history_date") == 3
    )  # a person's last edit: its column, the last update, the state
