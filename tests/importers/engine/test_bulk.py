"""The bulk path (importers.engine.bulk): its benchmark, and the human-edit rule on SIRENE files
(the same rule as row by row: tests/importers/engine/test_two_paths.py)."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command

from bench.management.commands import bench_import
from bench.sirene_files import sirene_sample_write
from directory.models import Organisation, Provenance
from importers.engine.services import source_import
from importers.models import DisagreementStatus, FieldDisagreement

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "sirene"
DATA_INCLUSION = Path(__file__).resolve().parents[2] / "data" / "data-inclusion"
GEOLOCALISATION = "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv"
JARDINS = "50100001200010"
JARDINS_SECOND = "50100001200028"
#: Lille, Hellemmes and Lomme fit in this box (min lon, min lat, max lon, max lat).
LILLE_BOX = (2.95, 50.58, 3.15, 50.68)


def changed_copy(tmp_path: Path) -> Path:
    """The fixture with the Jardins' acronym, address and point changed by INSEE."""
    folder = tmp_path / "sirene"
    shutil.copytree(DATA, folder)
    units = folder / "StockUniteLegale_utf8.csv"
    units.write_text(units.read_text().replace(",AJM,", ",AJDM,"), encoding="utf-8")
    geo = folder / "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv"
    geo.write_text(geo.read_text().replace("703960.0;7059070.0", "703990.0;7059100.0"))
    return folder


def with_points(tmp_path: Path, old: str, new: str) -> Path:
    """The fixture with a line of the geolocation file rewritten."""
    folder = tmp_path / "sirene-points"
    shutil.copytree(DATA, folder)
    geo = folder / GEOLOCALISATION
    text = geo.read_text(encoding="utf-8")
    assert old in text
    geo.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def open_disagreements(siret: str) -> dict[str, FieldDisagreement]:
    return {
        d.field: d
        for d in FieldDisagreement.objects.filter(
            provenance__external_id=siret, status=DisagreementStatus.OPEN
        )
    }


@pytest.fixture
def bench_database(monkeypatch):
    """Let the benchmark run on the test database (its name has no "bench")."""
    monkeypatch.setattr(bench_import, "BENCH_MARKER", "test")


def test_the_benchmark_prints_speed_and_memory_and_changes_nothing_the_second_time(
    bench_database,
):
    out = StringIO()
    call_command("bench_import", rows=400, stdout=out)
    output = out.getvalue()
    assert "400 établissements" in output
    assert "lignes d'établissements/s de bout en bout" in output
    assert "mémoire maximale du processus" in output
    second = output.split("second import")[1]
    assert " : 0 créés, 0 mis à jour, " in second
    assert Organisation.objects.count() > 300


def test_the_benchmark_starts_from_an_empty_directory(bench_database):
    source_import(slug="sirene", path=DATA)
    call_command("bench_import", rows=50, stdout=StringIO())
    assert not Organisation.objects.filter(siret=JARDINS).exists()


@pytest.mark.parametrize("share", [0, 1.5, -0.2])
def test_the_benchmark_refuses_a_share_that_is_not_one(share):
    with pytest.raises(CommandError, match="une part entre 0"):
        call_command(bench_import.Command(), rows=10, territory_share=share)


def test_the_benchmark_refuses_a_database_that_is_not_a_bench_one():
    source_import(slug="sirene", path=DATA)
    with pytest.raises(CommandError, match="refusée"):
        call_command("bench_import", rows=10, stdout=StringIO())
    assert Organisation.objects.filter(siret=JARDINS).exists()


def test_generated_establishments_stand_in_lille(tmp_path):
    sirene_sample_write(folder=tmp_path, rows=300)
    report = source_import(slug="sirene", path=tmp_path)
    assert report.created > 200
    west, south, east, north = LILLE_BOX
    for point in Organisation.objects.exclude(location=None).values_list("location", flat=True):
        assert west < point.x < east
        assert south < point.y < north


def test_a_national_shaped_file_keeps_only_its_share_in_the_territory(tmp_path):
    files = sirene_sample_write(folder=tmp_path, rows=2000, territory_share=0.05)
    report = source_import(slug="sirene", path=tmp_path)
    assert files.etablissements == 2000
    assert 1800 < report.out_of_territory < 1960  # about 95 % elsewhere
    assert 0 < report.created < 120


def test_a_field_a_person_emptied_stays_empty(tmp_path):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS).update(acronym="")
    report = source_import(slug="sirene", path=changed_copy(tmp_path))
    assert Organisation.objects.get(siret=JARDINS).acronym == ""
    assert f"{JARDINS} : acronym conservé" in report.kept


def test_a_point_a_person_moved_stays_where_they_put_it(tmp_path):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS).update(
        location=Point(3.0601, 50.6301, srid=4326), geocoding_quality="manual"
    )
    source_import(slug="sirene", path=changed_copy(tmp_path))
    jardins = Organisation.objects.get(siret=JARDINS)
    assert (jardins.location.x, jardins.location.y) == (3.0601, 50.6301)
    assert jardins.geocoding_quality == "manual"
    assert jardins.acronym == "AJDM"  # untouched fields follow the source


def test_what_the_source_wrote_is_remembered_not_what_the_person_kept(tmp_path):
    source_import(slug="sirene", path=DATA)
    Organisation.objects.filter(siret=JARDINS).update(acronym="JDM")
    source_import(slug="sirene", path=changed_copy(tmp_path))
    provenance = Provenance.objects.get(source__slug="sirene", external_id=JARDINS)
    # The person's value is kept; the provenance still says what SIRENE last wrote, so a
    # later import keeps recognising the person's edit.
    assert provenance.imported_values["acronym"] == "AJM"
    assert provenance.raw["sigleUniteLegale"] == "AJDM"
    assert Organisation.objects.get(siret=JARDINS).acronym == "JDM"


def test_a_sector_a_person_removed_is_not_added_back(tmp_path):
    source_import(slug="sirene", path=DATA)
    fondation = Organisation.objects.get(siret="50100007900019")
    fondation.sectors.clear()
    folder = changed_copy(tmp_path)
    etabs = folder / "StockEtablissement_utf8.csv"
    etabs.write_text(etabs.read_text().replace("DE DUNKERQUE", "DE DUNKERQUE PROLONGEE"))
    source_import(slug="sirene", path=folder)
    fondation.refresh_from_db()
    assert fondation.street == "1 AVENUE DE DUNKERQUE PROLONGEE"
    assert not fondation.sectors.exists()


def test_provenance_keeps_the_raw_record_and_the_licence():
    source_import(slug="sirene", path=DATA)
    provenance = Provenance.objects.get(source__slug="sirene", external_id=JARDINS)
    assert provenance.raw["codeCommuneEtablissement"] == "59350"
    assert provenance.raw["categorieJuridiqueUniteLegale"] == "9220"
    assert provenance.raw["qualite_xy"] == "11"
    assert provenance.source.licence == "Licence Ouverte 2.0"
    assert provenance.record.siret == JARDINS
    assert provenance.first_seen_at == provenance.last_seen_at


def test_a_session_that_already_used_temporary_tables_still_imports(monkeypatch):
    from django.db import connection

    from importers.engine.sql import merge

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE earlier_work (a int); DROP TABLE earlier_work")
    monkeypatch.setattr(merge, "SESSION_SETTINGS", "SET temp_buffers = '300MB'")
    assert source_import(slug="sirene", path=DATA).created == 9


def test_an_rna_id_given_to_two_associations_goes_to_the_first_only(tmp_path):
    folder = tmp_path / "sirene"
    shutil.copytree(DATA, folder)
    units = folder / "StockUniteLegale_utf8.csv"
    units.write_text(units.read_text().replace("W595000777", "W595012345"), encoding="utf-8")
    report = source_import(slug="sirene", path=folder)
    assert report.created == 9
    assert Organisation.objects.get(siret=JARDINS).rna_id == "W595012345"
    assert Organisation.objects.get(siret="50100010300017").rna_id == ""


def test_sirene_losing_a_point_another_source_gave_keeps_the_point_with_its_quality(tmp_path):
    source_import(slug="data-inclusion", path=DATA_INCLUSION / "structures.csv")
    placed = Organisation.objects.get(siret=JARDINS)
    point, quality = (placed.location.x, placed.location.y), placed.geocoding_quality
    source_import(slug="sirene", path=DATA)
    blanked = with_points(tmp_path, f"{JARDINS};703960.0;7059070.0;11;2154", f"{JARDINS};;;;")

    report = source_import(slug="sirene", path=blanked)

    jardins = Organisation.objects.get(siret=JARDINS)
    assert (jardins.location.x, jardins.location.y) == point
    assert jardins.geocoding_quality == quality
    assert f"{JARDINS} : location conservé" in report.kept
    # A source without a point does not disagree with the one kept (it merely lacks one).
    assert report.disagreements == 0


def test_a_pin_a_person_moved_stays_when_sirene_drops_the_point(tmp_path):
    source_import(slug="sirene", path=DATA)
    # In the shell or the admin, only the point moved: its quality is still SIRENE's.
    Organisation.objects.filter(siret=JARDINS_SECOND).update(
        location=Point(3.0611, 50.6311, srid=4326)
    )
    random = with_points(tmp_path, "707482.5;7057210.3;12;", "707482.5;7057210.3;33;")

    source_import(slug="sirene", path=random)

    second = Organisation.objects.get(siret=JARDINS_SECOND)
    assert (second.location.x, second.location.y) == (3.0611, 50.6311)
    assert second.geocoding_quality == "source"  # kept with the point it qualifies
    # SIRENE no longer gives a point: nothing to disagree with (as in the row-by-row path).
    assert open_disagreements(JARDINS_SECOND) == {}


def test_a_point_sirene_wrote_and_drops_goes_with_its_quality(tmp_path):
    source_import(slug="sirene", path=DATA)
    random = with_points(tmp_path, "707482.5;7057210.3;12;", "707482.5;7057210.3;33;")

    report = source_import(slug="sirene", path=random)

    second = Organisation.objects.get(siret=JARDINS_SECOND)
    assert (second.location, second.geocoding_quality) == (None, "")
    assert report.updated == 1
    assert not FieldDisagreement.objects.exists()
