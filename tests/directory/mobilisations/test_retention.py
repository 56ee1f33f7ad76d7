"""Issue 16: the personal data of requests is erased after the stated period, by a scheduled
command; the personal-data page says so."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from directory.mobilisations.services import mobilisation_follow_token
from directory.models import Mobilisation, MobilisationStatus, Stage
from importers.schedule import SCHEDULE
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db
MONTH = timedelta(days=31)


def _request(actors, *, sent_ago, closed_ago=None) -> Mobilisation:
    now = timezone.now()
    made = Mobilisation.objects.create(
        organisation=actors.funder,
        holder_name="Lou Martin",
        holder_email="lou@exemple.fr",
        holder_phone="03 20 00 00 00",
        project="Un atelier de réparation de vélos.",
        stage=Stage.objects.get(slug="amorcage"),
        consent_at=now,
    )
    Mobilisation.objects.filter(pk=made.pk).update(
        created_at=now - sent_ago,
        status=MobilisationStatus.CLOSED if closed_ago else MobilisationStatus.RECEIVED,
        closed_at=now - closed_ago if closed_ago else None,
    )
    return made


def test_old_requests_lose_their_personal_data_and_keep_their_counts(settings, actors):
    settings.CARTESS_MOBILISATION_RETENTION_MONTHS = 12
    expired = _request(actors, sent_ago=14 * MONTH, closed_ago=13 * MONTH)
    recent = _request(actors, sent_ago=3 * MONTH, closed_ago=2 * MONTH)
    open_long = _request(actors, sent_ago=18 * MONTH)
    forgotten = _request(actors, sent_ago=25 * MONTH)
    output = StringIO()
    call_command("mobilisations_purge", stdout=output)
    assert "2 demandes anonymisées (conservation : 12 mois)" in output.getvalue()
    for kept in (recent, open_long):
        kept.refresh_from_db()
        assert kept.holder_email == "lou@exemple.fr"
        assert kept.anonymised_at is None
    for erased in (expired, forgotten):
        erased.refresh_from_db()
        assert (erased.holder_name, erased.holder_email, erased.holder_phone) == ("", "", "")
        assert erased.project == ""
        assert erased.anonymised_at is not None
        assert erased.stage.slug == "amorcage"
        assert erased.organisation == actors.funder
    page = Client().get(f"/demandes/suivi/{mobilisation_follow_token(mobilisation=expired)}/")
    assertContains(page, "Les données personnelles de cette demande ont été effacées.")


def test_an_anonymised_request_cannot_be_referred(actors, client):
    erased = _request(actors, sent_ago=30 * MONTH, closed_ago=20 * MONTH)
    call_command("mobilisations_purge", stdout=StringIO())
    other = make_organisation("Incubateur Les Premières", kinds=("accompagnement",))
    client.force_login(actors.owner)
    response = client.post(
        f"/demandes/{erased.pk}/orienter/", {"organisation": other.pk}, follow=True
    )
    assertContains(response, "ne peut plus être orientée")
    assertContains(response, "Effacées le")
    assert not Mobilisation.objects.filter(referred_from=erased).exists()


def test_the_purge_runs_every_night():
    assert "mobilisations_purge" in {job.name for job in SCHEDULE}


def test_the_personal_data_page_says_how_long_requests_are_kept(client, settings):
    settings.CARTESS_MOBILISATION_RETENTION_MONTHS = 9
    page = client.get("/donnees-personnelles/")
    assertContains(page, "Demandes aux acteurs et aux lieux")
    assertContains(page, "effacés 9 mois après que la demande a été close ou orientée")
