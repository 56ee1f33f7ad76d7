"""`siae`: the Marché de l'inclusion's fixture, whole or broken, and how its rows are counted."""

import json
from pathlib import Path

import pytest

from directory.models import Organisation
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from importers.sources.siae import DATA_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(fast_communes):
    """The commune outlines the territory test of the SIAE needs."""
    source_import(slug="communes")


def records() -> list[dict]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def write(path: Path, content) -> Path:
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_every_record_of_the_bundled_fixture_is_counted_once(communes):
    report = source_import(slug="siae")
    assert report.rows_read == len(records()) == 19
    assert report.rows_read == report.rows_accounted


def test_a_renamed_siret_fails_the_run_instead_of_rejecting_every_row(communes, tmp_path):
    fixture = records()
    for record in fixture:
        record["fields"]["numero_siret"] = record["fields"].pop("siret")
    with pytest.raises(ImportFailed, match=r"tous les enregistrements de siaes\.json : siret"):
        source_import(slug="siae", path=write(tmp_path / "siaes.json", fixture))
    assert ImportRun.objects.get(source__slug="siae").status == RunStatus.FAILED
    assert not Organisation.objects.exists()


def test_a_siret_missing_from_one_record_rejects_that_record_only(communes, tmp_path):
    fixture = records()
    del fixture[0]["fields"]["siret"]
    report = source_import(slug="siae", path=write(tmp_path / "siaes.json", fixture))
    assert report.rejected == 1
    assert "SIRET invalide" in report.rejections[0].reason
    assert report.created == len(fixture) - 1 - report.out_of_territory


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "fichier vide"),
        (b"<html><body>Erreur 502</body></html>", "JSON invalide ligne 1"),
    ],
)
def test_an_unreadable_fixture_is_explained_in_french(communes, tmp_path, content, expected):
    path = tmp_path / "siaes.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=expected) as failure:
        source_import(slug="siae", path=path)
    assert "Expecting" not in str(failure.value)
    assert "codec" not in str(failure.value)
