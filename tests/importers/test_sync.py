"""`manage.py sync`: the live sources of the schedule, each on its own rhythm, against a local
server; a source that fails keeps its data and the others go on."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from werkzeug import Request, Response

from cartography.models import AreaKind, ReferenceArea
from directory.models import Organisation
from importers.engine.services import source_import, source_register
from importers.models import ImportRun, RunStatus
from importers.schedule import SCHEDULE
from importers.sources import source_get
from importers.sync import sync_rhythm, sync_sources
from tests.importers.sources.test_recherche_entreprises import RESTOS, FakeApi, in_lille

pytestmark = pytest.mark.django_db

QPV_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "qpv" / "qpv_2024_sample.geojson"


def entry(name: str):
    return next(item for item in SCHEDULE if item.name == name)


def test_each_source_keeps_the_rhythm_of_its_cron():
    now = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)
    assert sync_rhythm(entry=entry("aides-territoires"), now=now) == timedelta(days=1)
    assert sync_rhythm(entry=entry("cartofriches"), now=now) == timedelta(days=7)
    assert sync_rhythm(entry=entry("sirene"), now=now) == timedelta(days=31)  # Jan 3 -> Feb 3
    assert sync_sources()[0] == "aides-territoires"
    assert "freshness_reminders" not in sync_sources()


class Throttled:
    """Answers 429 with a Retry-After once, then like an empty Cartofriches API."""

    def __init__(self) -> None:
        self.requests = 0

    def __call__(self, request: Request) -> Response:
        self.requests += 1
        if self.requests == 1:
            return Response("", status=429, headers={"Retry-After": "30"})
        if "geofriches" in request.path:
            return Response('{"type": "FeatureCollection", "features": []}')
        return Response('{"count": 0, "next": null, "results": []}')


@pytest.fixture
def live(settings, httpserver, fast_communes):
    """Communes and QPV loaded two months ago; a SIRENE run three days ago; a local server
    answering for the Recherche d'entreprises (OK), Cartofriches (429 then OK) and the QPV
    file (500)."""
    settings.CARTESS_HTTP_RETRIES = 2
    settings.CARTESS_HTTP_RETRY_DELAY = 0.01
    settings.CARTESS_HTTP_MAX_DELAY = 0.05  # caps Retry-After: the test does not wait 30 s
    source_import(slug="communes")
    source_import(slug="qpv", path=QPV_SAMPLE)
    old = timezone.now() - timedelta(days=60)
    ImportRun.objects.update(started_at=old, finished_at=old)
    fresh = timezone.now() - timedelta(days=3)
    ImportRun.objects.create(
        source=source_register(source=source_get("sirene")), status=RunStatus.SUCCEEDED
    )
    ImportRun.objects.filter(source__slug="sirene").update(started_at=fresh, finished_at=fresh)
    httpserver.expect_request("/search").respond_with_handler(
        FakeApi({"59350": [in_lille(RESTOS)]})
    )
    throttled = Throttled()
    httpserver.expect_request("/carto/", method="GET").respond_with_handler(throttled)
    httpserver.expect_request("/carto/cartofriches/geofriches/").respond_with_handler(throttled)
    httpserver.expect_request("/carto/cartofriches/friches/").respond_with_handler(throttled)
    httpserver.expect_request("/qpv.zip").respond_with_data("panne", status=500)
    settings.CARTESS_SCHEDULE_ORIGINS = {
        "recherche-entreprises": httpserver.url_for("/"),
        "cartofriches": httpserver.url_for("/carto/"),
        "qpv": httpserver.url_for("/qpv.zip"),
    }
    return throttled


def sync(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    with translation.override("fr"):
        try:
            call_command("sync", *args, stdout=out, stderr=StringIO())
        except CommandError as error:
            return out.getvalue(), error
    return out.getvalue(), None


def test_sync_runs_each_due_source_and_a_failure_leaves_its_data_and_the_others(live):
    output, error = sync("--only", "qpv,cartofriches,recherche-entreprises,sirene")

    assert "1 source(s) en échec, leurs données restent inchangées : qpv" in str(error)
    # The schedule's order, one progress line per source.
    assert output.index("[1/4] sirene") < output.index("[2/4] recherche-entreprises")
    assert output.index("[3/4] cartofriches") < output.index("[4/4] qpv")
    lines = {line.split()[0]: line for line in output.splitlines()[-5:]}
    assert "à jour (dernier import le " in lines["sirene"]
    assert lines["recherche-entreprises"].split()[1:4] == ["importé", "1", "0"]
    assert lines["cartofriches"].split()[1] == "importé"
    assert "erreur du serveur (HTTP 500)" in lines["qpv"]
    assert live.requests > 1  # the 429 was waited out, then asked again

    runs = ImportRun.objects.exclude(finished_at__lt=timezone.now() - timedelta(days=1))
    assert {(run.source.slug, run.status) for run in runs.select_related("source")} == {
        ("recherche-entreprises", RunStatus.SUCCEEDED),
        ("cartofriches", RunStatus.SUCCEEDED),
        ("qpv", RunStatus.FAILED),
    }
    assert ImportRun.objects.filter(source__slug="sirene").count() == 1  # not run again
    assert Organisation.objects.filter(name="LES RESTAURANTS DU COEUR").exists()
    assert ReferenceArea.objects.filter(kind=AreaKind.QPV).count() == 2  # as they were


def test_force_runs_a_fresh_source_again_and_a_second_sync_skips_what_it_just_did(live):
    sync("--only", "recherche-entreprises")
    output, error = sync("--only", "recherche-entreprises")
    assert error is None
    assert "à jour (dernier import le " in output
    assert ImportRun.objects.filter(source__slug="recherche-entreprises").count() == 1

    output, error = sync("--only", "recherche-entreprises", "--force")
    assert error is None
    assert ImportRun.objects.filter(source__slug="recherche-entreprises").count() == 2


def test_an_unknown_source_is_refused_in_french():
    _output, error = sync("--only", "siae")
    assert "source(s) inconnue(s) de sync : siae" in str(error)
