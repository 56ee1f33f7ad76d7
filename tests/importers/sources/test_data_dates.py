"""The data's own date: SIRENE and Recherche d'entreprises date their source from what
their data says (the latest day INSEE processed an établissement; the API's
`date_mise_a_jour*`), and the organisation page and API show it with every fact."""

import json
import shutil

import pytest

from directory.models import Organisation, Source
from importers.engine.dating import LatestDay, french_day
from importers.engine.services import source_import
from importers.models import ImportRun
from tests.importers.hostile.cases import DATA
from tests.importers.sources.test_recherche_entreprises import (
    RESTOS,
    THEATRE,
    FakeApi,
    in_lille,
    serve,
)

pytestmark = pytest.mark.django_db

ETABLISSEMENTS = "StockEtablissement_utf8.csv"
PROCESSED = "dateDernierTraitementEtablissement"


def test_the_latest_real_past_day_is_kept():
    latest = LatestDay()
    for value in ["2026-10-02T08:00:00.000", "2026-10-31T23:10:02", "2026-02-30", "2099-01-01"]:
        latest.offer(value)
    for value in [None, 20261101, "", "hier", "2026-10-3"]:
        latest.offer(value)
    assert latest.day == "2026-10-31"


@pytest.mark.parametrize(
    ("day", "written"), [("2026-11-01", "1er novembre 2026"), ("2026-05-17", "17 mai 2026")]
)
def test_a_day_is_written_in_french(day, written):
    assert french_day(day) == written


@pytest.fixture
def sirene(tmp_path):
    folder = tmp_path / "sirene"
    shutil.copytree(DATA / "sirene", folder)
    return folder


def _processed_on(folder, days: list[str]) -> None:
    """Give the établissements of the recorded stock file these processing dates, in turn
    (INSEE writes them as timestamps)."""
    path = folder / ETABLISSEMENTS
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    column = header.split(",").index(PROCESSED)
    dated = []
    for number, line in enumerate(lines):
        cells = line.split(",")
        cells[column] = days[number % len(days)]
        dated.append(",".join(cells))
    path.write_text("\n".join([header, *dated]) + "\n", encoding="utf-8")


def test_sirene_is_dated_by_its_latest_processing_day(sirene, client):
    _processed_on(sirene, ["2019-03-04T10:00:00.000", "2026-11-01T02:13:45.000", "9999-12-31"])
    report = source_import(slug="sirene", path=sirene)
    assert Source.objects.get(slug="sirene").data_dated == "SIRENE au 1er novembre 2026"
    assert ImportRun.objects.get(pk=report.run_id).parameters["data_date"] == "2026-11-01"
    listing = Organisation.objects.filter(street__contains="LA MONNAIE").get()
    page = client.get(f"/organisations/{listing.slug}/").content.decode()
    assert "SIRENE au 1er novembre 2026" in page
    answer = client.get(f"/api/v1/directory/organisations/{listing.slug}/").json()
    assert {s["data_dated"] for s in answer["sources"]} == {"SIRENE au 1er novembre 2026"}


def test_a_file_without_dates_or_a_dry_run_keeps_the_last_date(sirene):
    _processed_on(sirene, ["2026-10-31T23:59:00.000"])
    source_import(slug="sirene", path=sirene)
    _processed_on(sirene, ["2026-11-30T23:59:00.000"])
    source_import(slug="sirene", path=sirene, dry_run=True)
    _processed_on(sirene, [""])
    source_import(slug="sirene", path=sirene)
    assert Source.objects.get(slug="sirene").data_dated == "SIRENE au 31 octobre 2026"


def test_recherche_entreprises_is_dated_by_the_answers_latest_update(httpserver):
    """Recorded real answers: the Restos du Coeur updated 2026-05-17T09:43:17, the théâtre
    10:43:45 the same day (`date_mise_a_jour`), their INSEE data in December 2025."""
    theatre = in_lille(THEATRE)
    theatre["matching_etablissements"][0]["date_mise_a_jour_insee"] = "2099-01-01T00:00:00"
    url = serve(httpserver, FakeApi({"59350": [in_lille(RESTOS), theatre]}))
    report = source_import(slug="recherche-entreprises", url=url)
    label = "Recherche d'entreprises au 17 mai 2026"
    assert Source.objects.get(slug="recherche-entreprises").data_dated == label
    assert ImportRun.objects.get(pk=report.run_id).parameters["data_date"] == "2026-05-17"


def test_a_saved_answer_without_dates_leaves_the_source_undated(tmp_path):
    result = in_lille(RESTOS)
    for key in ("date_mise_a_jour", "date_mise_a_jour_insee", "date_mise_a_jour_rne"):
        result.pop(key, None)
        result["siege"].pop(key, None)
    path = tmp_path / "reponses.json"
    path.write_text(json.dumps({"results": [result]}), encoding="utf-8")
    report = source_import(slug="recherche-entreprises", path=path)
    assert report.created == 1
    assert Source.objects.get(slug="recherche-entreprises").data_dated == ""
