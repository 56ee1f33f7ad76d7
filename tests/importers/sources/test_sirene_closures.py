"""A listing whose établissement SIRENE says closed becomes closed: kept, dated, off the map
and the directory, never deleted; a closing date already on it is kept, none is invented."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from directory.models import Organisation
from importers.engine.services import source_import
from importers.sources.sirene_closures import period_day

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "sirene"
ETABLISSEMENTS = "StockEtablissement_utf8.csv"
JARDINS = "50100001200028"  # the second établissement, with a point
#: The end of the Jardins de Moulins' line in the fixture: its period, state and activity.
OPEN_PERIOD = "2012-05-14,A,,,,,94.99Z"


def stock_with_jardins(tmp_path: Path, period: str) -> Path:
    """The fixture's files, the Jardins de Moulins' établissement in the period `period`."""
    folder = tmp_path / "sirene"
    shutil.copytree(DATA, folder)
    path = folder / ETABLISSEMENTS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (number,) = [n for n, line in enumerate(lines) if f",{JARDINS}," in line]
    assert OPEN_PERIOD in lines[number]
    lines[number] = lines[number].replace(OPEN_PERIOD, period)
    path.write_text("".join(lines), encoding="utf-8")
    return folder


def jardins() -> Organisation:
    return Organisation.objects.get(siret=JARDINS)


def test_a_listing_whose_etablissement_closed_is_closed_kept_and_leaves_the_directory(
    tmp_path, client
):
    source_import(slug="sirene", path=DATA)
    assert jardins().closed_on is None
    link, slug = f"/organisations/{jardins().slug}/", f'"{jardins().slug}"'
    assert link in client.get("/annuaire/", {"q": "jardins"}).content.decode()
    assert slug in client.get("/api/v1/organisations/").content.decode()

    report = source_import(
        slug="sirene", path=stock_with_jardins(tmp_path, "2024-06-30,F,,,,,94.99Z")
    )

    assert jardins().closed_on == date(2024, 6, 30)
    assert "1 fiche(s) fermée(s) : leur établissement est fermé dans SIRENE" in report.details
    assert report.set_aside["établissements fermés"] == 2
    page = client.get(f"/organisations/{jardins().slug}/").content.decode()
    assert "Cette structure a fermé le 30 juin 2024." in page
    assert link not in client.get("/annuaire/", {"q": "jardins"}).content.decode()
    assert slug not in client.get("/api/v1/organisations/").content.decode()
    # The unit's other établissement, still open, stays listed.
    assert "JARDINS DE MOULINS" in client.get("/annuaire/", {"q": "jardins"}).content.decode()


def test_a_closing_date_already_on_the_listing_is_kept(tmp_path):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS).update(closed_on=date(2023, 1, 31))

    source_import(slug="sirene", path=stock_with_jardins(tmp_path, "2024-06-30,F,,,,,94.99Z"))

    assert jardins().closed_on == date(2023, 1, 31)


def test_a_closed_etablissement_without_a_date_closes_nothing_and_says_so(tmp_path):
    source_import(slug="sirene", path=DATA)

    report = source_import(slug="sirene", path=stock_with_jardins(tmp_path, ",F,,,,,94.99Z"))

    assert jardins().closed_on is None
    assert any("sans date de fermeture lisible" in line for line in report.details)


def test_a_dry_run_closes_nothing(tmp_path):
    source_import(slug="sirene", path=DATA)

    source_import(
        slug="sirene", path=stock_with_jardins(tmp_path, "2024-06-30,F,,,,,94.99Z"), dry_run=True
    )

    assert jardins().closed_on is None


@pytest.mark.parametrize(
    ("cell", "day"),
    [("2024-06-30", date(2024, 6, 30)), ("", None), ("2024-02-30", None), ("30/06/2024", None)],
)
def test_the_closing_day_is_read_only_when_it_is_a_real_day(cell, day):
    assert period_day(cell) == day
