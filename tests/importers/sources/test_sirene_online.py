"""The `sirene` importer online: the three stock files in one zip fetched from a (local)
server, as `sync` and the schedule do with CARTESS_SCHEDULE_ORIGINS; a broken answer fails
in French and keeps the listings."""

import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from directory.models import Organisation
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from tests.importers.sources.test_sirene import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock_zip(tmp_path) -> bytes:
    archive = tmp_path / "stock.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in DATA.glob("*.csv"):
            out.write(path, path.name)
    return archive.read_bytes()


def listed() -> set[str]:
    return set(Organisation.objects.values_list("siret", flat=True))


def test_the_stock_zip_is_downloaded_and_read_like_the_files(httpserver, stock_zip):
    httpserver.expect_request("/sirene/stock.zip").respond_with_data(
        stock_zip, content_type="application/zip"
    )
    call_command("import", "sirene", "--url", httpserver.url_for("/sirene/stock.zip"))
    assert "ASSOCIATION LES JARDINS DE MOULINS" in set(
        Organisation.objects.values_list("name", flat=True)
    )
    assert Organisation.objects.count() == 9  # as from the files: ESS, open, in the territory
    assert ImportRun.objects.get(source__slug="sirene").status == RunStatus.SUCCEEDED


@pytest.mark.parametrize(
    ("body", "content_type", "cause"),
    [
        (b"<html><body>Maintenance</body></html>", "text/html", "une page HTML"),
        (None, "application/zip", "ce n'est pas une archive zip valide"),
    ],
)
def test_a_broken_answer_fails_in_french_and_keeps_the_listings(
    httpserver, stock_zip, body, content_type, cause
):
    source_import(slug="sirene", path=DATA)
    before = listed()
    answer = stock_zip[:40] if body is None else body  # None: a zip cut after 40 bytes
    httpserver.expect_request("/sirene/stock.zip").respond_with_data(
        answer, content_type=content_type
    )
    with translation.override("fr"), pytest.raises(CommandError, match="Import interrompu"):
        call_command("import", "sirene", "--url", httpserver.url_for("/sirene/stock.zip"))
    run = ImportRun.objects.filter(source__slug="sirene").latest("started_at")
    assert run.status == RunStatus.FAILED
    assert cause in run.error
    assert listed() == before
