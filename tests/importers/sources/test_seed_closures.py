"""`seed-closures`: the seed's closures.csv closes records other sources loaded (La Grappe),
credited to the seed, never over a date a person typed."""

from datetime import date

import pytest

from directory.models import Organisation, Provenance
from importers.engine.errors import RowRejected
from importers.engine.services import source_import
from importers.sources import ALL
from importers.sources.seed_closures import closing_date

pytestmark = pytest.mark.django_db


def grappe() -> Organisation:
    return Organisation.objects.get(name="La Grappe")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("2021-12", date(2021, 12, 1)), ("2021-12-31", date(2021, 12, 31))],
)
def test_a_closing_date_is_a_day_or_a_month(cell, expected):
    assert closing_date(cell) == expected


@pytest.mark.parametrize("cell", ["fin 2021", "2021-13", "2021-02-30", ""])
def test_an_unreadable_closing_date_rejects_the_row(cell):
    with pytest.raises(RowRejected, match="Date de fermeture illisible"):
        closing_date(cell)


def test_the_closures_run_after_the_sources_whose_records_they_close():
    assert ALL.index("seed-closures") > max(ALL.index("tiers-lieux"), ALL.index("seed"))


def test_la_grappe_is_closed_credited_to_the_seed_and_leaves_the_directory(client):
    source_import(slug="tiers-lieux")
    assert grappe().closed_on is None

    report = source_import(slug="seed-closures")

    assert report.counts["updated"] == 1
    assert not report.rejections
    assert grappe().closed_on == date(2021, 12, 1)
    provenance = Provenance.objects.get(source__slug="seed-closures")
    assert provenance.external_id == "tiers-lieux:133"
    assert provenance.object_id == grappe().pk
    assert provenance.imported_values == {"closed_on": "2021-12-01"}
    page = client.get(f"/organisations/{grappe().slug}/").content.decode()
    assert "Cette structure a fermé le 1 décembre 2021." in page
    assert "La Grappe" not in client.get("/annuaire/", {"q": "grappe"}).content.decode()
    again = source_import(slug="seed-closures")
    assert again.counts["unchanged"] == 1


def test_a_closure_of_a_record_not_imported_yet_is_rejected_then_applied():
    first = source_import(slug="seed-closures")

    assert [r.external_id for r in first.rejections] == ["tiers-lieux:133"]
    assert "n'est pas importé" in first.rejections[0].reason

    source_import(slug="tiers-lieux")
    source_import(slug="seed-closures")
    assert grappe().closed_on == date(2021, 12, 1)


def test_a_closing_date_a_person_typed_is_kept():
    source_import(slug="tiers-lieux")
    Organisation.objects.filter(name="La Grappe").update(closed_on=date(2022, 1, 15))

    report = source_import(slug="seed-closures")

    assert grappe().closed_on == date(2022, 1, 15)
    assert report.kept == ["tiers-lieux:133 : closed_on conservé"]
