"""Sign-in records (django-axes) are erased after the stated period by a nightly command; the
personal-data page says how long they are kept."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from importers.schedule import SCHEDULE

pytestmark = pytest.mark.django_db


def _records(*, age: timedelta, ip_address: str) -> None:
    when = timezone.now() - age
    who = {"username": "lou@example.org", "ip_address": ip_address, "user_agent": "Firefox"}
    AccessLog.objects.create(**who)
    AccessFailureLog.objects.create(**who, locked_out=False)
    AccessAttempt.objects.create(**who, failures_since_start=1, get_data="", post_data="")
    for model in (AccessLog, AccessFailureLog, AccessAttempt):  # attempt_time is auto_now_add
        model.objects.filter(attempt_time__gte=when - timedelta(minutes=1)).update(
            attempt_time=when
        )


def test_old_sign_in_records_are_erased_and_recent_ones_kept(settings):
    settings.CARTESS_LOGIN_LOG_RETENTION_DAYS = 180
    _records(age=timedelta(days=200), ip_address="192.0.2.7")
    _records(age=timedelta(days=1), ip_address="192.0.2.8")
    output = StringIO()
    call_command("login_logs_purge", stdout=output)
    assert "3 traces de connexion effacées (conservation : 180 jours)" in output.getvalue()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert model.objects.count() == 1
        assert model.objects.get().attempt_time > timezone.now() - timedelta(days=2)


def test_the_purge_runs_every_night_and_the_privacy_page_says_how_long(client, settings):
    assert "login_logs_purge" in {job.name for job in SCHEDULE}
    settings.CARTESS_LOGIN_LOG_RETENTION_DAYS = 90
    page = client.get("/donnees-personnelles/")
    assertContains(page, "Toutes ces traces sont effacées chaque nuit après 90 jours.")
