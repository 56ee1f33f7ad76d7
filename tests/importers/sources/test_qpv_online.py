"""The `qpv` importer online: the ANCT's published zip fetched from a (local) server, as
`sync` and the schedule do; a broken answer fails in French and keeps the outlines."""

import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cartography.models import AreaKind, ReferenceArea
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from tests.importers.sources.test_qpv import SAMPLE

pytestmark = pytest.mark.django_db

MEMBER = "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"


@pytest.fixture
def published_zip(tmp_path) -> bytes:
    archive = tmp_path / "QP2024.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(SAMPLE, MEMBER)
    return archive.read_bytes()


@pytest.fixture
def communes(fast_communes):
    source_import(slug="communes")


def qpv_codes() -> set[str]:
    return set(ReferenceArea.objects.filter(kind=AreaKind.QPV).values_list("code", flat=True))


def test_the_published_zip_is_downloaded_and_filtered_to_the_territory(
    communes, httpserver, published_zip
):
    httpserver.expect_request("/qpv.zip").respond_with_data(
        published_zip, content_type="application/zip"
    )
    call_command("import", "qpv", "--url", httpserver.url_for("/qpv.zip"), stdout=None)
    assert qpv_codes() == {"QN05990M", "QN05991M"}  # Roubaix's is out of the territory
    assert ImportRun.objects.get(source__slug="qpv").status == RunStatus.SUCCEEDED


@pytest.mark.parametrize(
    ("body", "content_type", "status", "cause"),
    [
        ("<html><body>Maintenance</body></html>", "text/html", 200, "une page HTML"),
        ("panne", "text/plain", 503, "erreur du serveur (HTTP 503)"),
    ],
)
def test_a_broken_answer_fails_in_french_and_keeps_the_outlines(
    communes, httpserver, published_zip, settings, body, content_type, status, cause
):
    settings.CARTESS_HTTP_RETRIES = 1
    settings.CARTESS_HTTP_RETRY_DELAY = 0.01
    source_import(slug="qpv", path=SAMPLE)
    httpserver.expect_request("/qpv.zip").respond_with_data(
        body, status=status, content_type=content_type
    )
    with translation.override("fr"), pytest.raises(CommandError) as failure:
        call_command("import", "qpv", "--url", httpserver.url_for("/qpv.zip"), stdout=None)
    assert "Import interrompu" in str(failure.value)
    run = ImportRun.objects.filter(source__slug="qpv").latest("started_at")
    assert run.status == RunStatus.FAILED
    assert cause in run.error
    assert qpv_codes() == {"QN05990M", "QN05991M"}  # as they were
