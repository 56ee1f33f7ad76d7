"""Long runs show where they stand: rows read and speed, on stderr, while they run."""

import csv
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from importers.engine import progress as progress_module
from importers.engine.progress import Progress, ProgressMeter
from importers.engine.services import source_import
from importers.sources.tiers_lieux import DATA_FILE as THIRD_PLACES_FILE

SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"
#: Third places in a national-sized file: the 25 of Lille and 1,175 in Paris.
THIRD_PLACES_ROWS = 1200


@pytest.fixture
def national_third_places(tmp_path) -> Path:
    """The bundled Lille extract of the ANCT file, padded with places in Paris."""
    with THIRD_PLACES_FILE.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows, fields = list(reader), reader.fieldnames
    paris = dict(
        rows[0], CP="75011", INSEECOM="75056", NOMCOM="Paris", LAT="48.8589", LONG="2.3800"
    )
    rows += [
        dict(paris, ID=str(10_000 + n), NOM_TL=f"Tiers-lieu parisien {n}")
        for n in range(THIRD_PLACES_ROWS - len(rows))
    ]
    target = tmp_path / "tiers-lieux.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_meter_reports_every_n_rows():
    heard: list[Progress] = []
    meter = ProgressMeter(source="rna", callback=heard.append, every_rows=3, clock=FakeClock())

    for _row in range(7):
        meter.advance()

    assert [progress.rows for progress in heard] == [3, 6]


def test_the_meter_reports_every_few_seconds_on_a_slow_source():
    clock, heard = FakeClock(), []
    meter = ProgressMeter(
        source="recherche-entreprises",
        callback=heard.append,
        every_rows=1000,
        every_seconds=5,
        clock=clock,
    )

    meter.advance()
    clock.now += 6
    meter.advance()

    assert len(heard) == 1
    assert heard[0].rows == 2
    assert heard[0].seconds == 6
    assert heard[0].rows_per_second == pytest.approx(2 / 6)


@pytest.mark.django_db
def test_a_run_over_many_rows_reports_its_progress(
    monkeypatch, fast_communes, national_third_places
):
    monkeypatch.setattr(progress_module, "EVERY_ROWS", 500)
    source_import(slug="communes")
    heard: list[Progress] = []

    report = source_import(slug="tiers-lieux", path=national_third_places, progress=heard.append)

    assert [progress.rows for progress in heard] == [500, 1000]
    assert {progress.source for progress in heard} == {"tiers-lieux"}
    assert report.rows_read == THIRD_PLACES_ROWS


@pytest.mark.django_db
def test_the_import_command_prints_progress_lines_on_stderr(
    monkeypatch, fast_communes, national_third_places
):
    monkeypatch.setattr(progress_module, "EVERY_ROWS", 500)
    call_command("import", "communes", stdout=StringIO())
    out, err = StringIO(), StringIO()

    call_command(
        "import", "tiers-lieux", "--file", str(national_third_places), stdout=out, stderr=err
    )

    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"tiers-lieux : 1000 lignes lues en \d+ s \(\d+ lignes/s\)…", lines[1])
    assert "1175 hors territoire" in out.getvalue()  # the report stays on stdout
    assert "lignes lues en" not in out.getvalue().split("\n")[0]


@pytest.mark.django_db
def test_the_bulk_path_reports_the_lines_of_all_its_files(monkeypatch):
    monkeypatch.setattr(progress_module, "EVERY_ROWS", 10)
    heard: list[Progress] = []

    source_import(slug="sirene", path=SIRENE, progress=heard.append)

    # 15 établissements, 13 unités légales and 8 points: 36 lines read in all.
    assert [progress.rows for progress in heard] == [10, 20, 30]
