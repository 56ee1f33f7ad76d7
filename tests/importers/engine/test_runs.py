"""Import runs as an operator lives them: reports, rejections, failures, dry runs, edits."""

import csv
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management import CommandError, call_command

from directory.models import FundingScheme, Organisation
from importers.engine.errors import ImportFailed
from importers.engine.services import _messages, source_import
from importers.models import ImportRejection, ImportRun, RunStatus
from importers.sources.seed import DATA_DIR as SEED_DIR
from importers.sources.siae import DATA_FILE as SIAE_FILE
from importers.sources.tiers_lieux import DATA_FILE as THIRD_PLACES_FILE

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def rewrite_csv(source: Path, target: Path, change) -> Path:
    """Copy a CSV file, passing each data row (a dict) through `change` (None drops it)."""
    with source.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = [changed for row in reader if (changed := change(row)) is not None]
        fields = reader.fieldnames
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(SEED_DIR, folder)
    return folder


def test_import_prints_a_report_and_records_the_run():
    output = run_command("seed")
    assert "seed : 63 créés, 0 mis à jour, 0 inchangés, 0 rejetés" in output
    assert "lignes/s" in output
    run = ImportRun.objects.get(source__slug="seed")
    assert (run.status, run.created_count, run.dry_run) == (RunStatus.SUCCEEDED, 63, False)
    assert run.finished_at is not None
    assert run.parameters["rows_read"] == 63


def test_import_all_loads_the_real_bundled_files():
    output = run_command("--all")
    assert "communes : 3 créés" in output
    assert "siae : 19 créés" in output
    assert Organisation.objects.count() == 78
    assert not ImportRun.objects.exclude(status=RunStatus.SUCCEEDED).exists()


def test_dry_run_writes_nothing_but_records_what_it_would_do():
    output = run_command("seed", "--dry-run")
    assert "répétition" in output
    assert not Organisation.objects.exists()
    assert not FundingScheme.objects.exists()
    run = ImportRun.objects.get(source__slug="seed")
    assert (run.dry_run, run.status, run.created_count) == (True, RunStatus.SUCCEEDED, 63)


def test_a_bad_row_is_rejected_with_its_reason_and_the_others_are_imported(tmp_path):
    def spoil(row):
        if row["ID"] == "3":
            row["NOM_TL"] = ""
        if row["ID"] == "25":
            row["LAT"], row["LONG"] = row["LONG"], row["LAT"]
        return row

    broken = rewrite_csv(THIRD_PLACES_FILE, tmp_path / "tiers-lieux.csv", spoil)
    report = source_import(slug="tiers-lieux", path=broken)
    assert (report.created, report.rejected) == (23, 2)
    rejections = ImportRejection.objects.filter(run_id=report.run_id).order_by("row_number")
    assert [(r.row_number, r.external_id) for r in rejections] == [(2, "3"), (3, "25")]
    assert "Nom du tiers-lieu manquant" in rejections[0].reason
    assert "hors de France" in rejections[1].reason
    assert rejections[1].raw["NOM_TL"] == "Weréso"
    assert ImportRun.objects.get(pk=report.run_id).rejected_count == 2


def test_a_national_file_is_filtered_to_the_territory(tmp_path, fast_communes):
    source_import(slug="communes")
    with THIRD_PLACES_FILE.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    nantes = {"ID": "1", "NOM_TL": "ADE Coworking", "INSEECOM": "44109", "NOMCOM": "Nantes"}
    # Its code says Lille, but its point lies in Saint-André-lez-Lille: the point decides.
    saint_andre = {"ID": "9001", "NOM_TL": "Ailleurs", "INSEECOM": "59350", "NOMCOM": "Lille"}
    rows.append({**rows[0], **nantes, "LAT": "47.245935", "LONG": "-1.505602"})
    rows.append({**rows[0], **saint_andre, "LAT": "50.665181", "LONG": "3.05841"})
    national = tmp_path / "national.csv"
    with national.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = source_import(slug="tiers-lieux", path=national)
    assert (report.created, report.out_of_territory, report.territory_test) == (25, 2, "contours")
    assert not Organisation.objects.filter(name__in=["ADE Coworking", "Ailleurs"]).exists()


def test_siae_need_the_commune_outlines_first():
    with pytest.raises(ImportFailed, match="import communes"):
        source_import(slug="siae")
    run = ImportRun.objects.get(source__slug="siae")
    assert run.status == RunStatus.FAILED
    assert "import communes" in run.error


def test_a_truncated_file_leaves_the_database_as_it_was(tmp_path):
    source_import(slug="tiers-lieux")
    renamed = rewrite_csv(
        THIRD_PLACES_FILE,
        tmp_path / "renamed.csv",
        lambda row: {**row, "NOM_TL": "Nouveau nom"} if row["ID"] == "3" else row,
    )
    truncated = tmp_path / "truncated.csv"
    truncated.write_text(renamed.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    with pytest.raises(CommandError, match="pour cette source"):
        run_command("tiers-lieux", "--file", str(truncated))
    assert Organisation.objects.filter(name="Co-Factory").exists()
    assert not Organisation.objects.filter(name="Nouveau nom").exists()
    failed = ImportRun.objects.get(source__slug="tiers-lieux", status=RunStatus.FAILED)
    assert "Ligne 26" in failed.error or "tronqué" in failed.error
    assert failed.created_count == failed.rejected_count == 0
    assert not ImportRejection.objects.filter(run=failed).exists()


def test_a_file_with_the_wrong_header_fails_and_says_which_column(tmp_path):
    folder = seed_copy(tmp_path)
    path = folder / "organisations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("name,kind", "nom,kind", 1))
    with pytest.raises(ImportFailed, match="colonnes manquantes name"):
        source_import(slug="seed", path=folder)
    assert not Organisation.objects.exists()
    assert ImportRun.objects.get(source__slug="seed").status == RunStatus.FAILED


def test_invalid_json_fails_the_run(tmp_path, fast_communes):
    source_import(slug="communes")
    broken = tmp_path / "siaes.json"
    broken.write_text(SIAE_FILE.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(ImportFailed, match="JSON invalide"):
        source_import(slug="siae", path=broken)
    assert not Organisation.objects.exists()
    assert "JSON invalide" in ImportRun.objects.get(source__slug="siae").error


def test_a_person_s_edit_survives_a_reimport_but_other_fields_follow_the_source(tmp_path):
    source_import(slug="seed")
    nord_actif = Organisation.objects.get(name="Nord Actif (France Active Nord)")
    nord_actif.description = "Fiche relue par le réseau : garantie, prêts et accompagnement."
    nord_actif.save()

    assert source_import(slug="seed").updated == 0

    def new_summary(row):
        if row["name"] == nord_actif.name:
            row.update(summary="Nouveau résumé de la source.", website="https://nordactif.example")
        return row

    folder = seed_copy(tmp_path)
    rewrite_csv(SEED_DIR / "organisations.csv", folder / "organisations.csv", new_summary)
    report = source_import(slug="seed", path=folder)
    nord_actif.refresh_from_db()
    assert nord_actif.description.startswith("Fiche relue par le réseau")
    assert nord_actif.website == "https://nordactif.example"
    assert report.updated == 1
    kept = ImportRun.objects.get(pk=report.run_id).parameters["kept_fields"]
    assert kept == ["organisations:nord-actif-france-active-nord : description conservé"]


def test_the_same_siret_from_two_sources_is_one_organisation(tmp_path, fast_communes):
    source_import(slug="communes")

    def with_siret(row):
        if row["name"] == "Maillage":
            row["siren"] = "37839168400032"  # INSERSOL's SIRET, to force the match
        return row

    folder = seed_copy(tmp_path)
    rewrite_csv(SEED_DIR / "organisations.csv", folder / "organisations.csv", with_siret)
    source_import(slug="seed", path=folder)
    report = source_import(slug="siae")
    assert (report.created, report.updated) == (18, 1)
    merged = Organisation.objects.get(siret="37839168400032")
    assert merged.name == "Maillage"
    assert set(merged.kinds.values_list("slug", flat=True)) == {"accompagnement", "siae"}
    assert merged.location is not None


def test_unknown_source_is_a_command_error():
    with pytest.raises(CommandError, match="Source inconnue"):
        run_command("cadastre")
    with pytest.raises(CommandError, match="une source, ou --all"):
        run_command()


def test_siae_fixture_written_for_another_model_is_refused(tmp_path, fast_communes):
    source_import(slug="communes")
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"model": "auth.user", "pk": 1, "fields": {}}]))
    with pytest.raises(ImportFailed, match=r"siaes\.siae"):
        source_import(slug="siae", path=other)


def test_all_sources_cannot_be_rehearsed_together():
    with pytest.raises(CommandError, match="source par source"):
        run_command("--all", "--dry-run")


def test_a_failed_run_keeps_no_rejection_of_the_rows_it_rolled_back(tmp_path):
    nameless = rewrite_csv(
        THIRD_PLACES_FILE,
        tmp_path / "nameless.csv",
        lambda row: {**row, "NOM_TL": ""} if row["ID"] == "3" else row,
    )
    truncated = tmp_path / "truncated.csv"
    truncated.write_text(nameless.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        source_import(slug="tiers-lieux", path=truncated)

    failed = ImportRun.objects.get(source__slug="tiers-lieux")
    assert failed.status == RunStatus.FAILED
    assert failed.error == str(failure.value)
    assert failed.rejected_count == 0
    assert not ImportRejection.objects.exists()


def test_a_source_with_nothing_to_read_records_its_failed_run():
    with pytest.raises(ImportFailed, match="--file"):
        source_import(slug="sirene")
    failed = ImportRun.objects.get(source__slug="sirene")
    assert failed.status == RunStatus.FAILED
    assert "--file" in failed.error


def test_a_row_the_model_refuses_is_rejected_with_french_field_names():
    error = ValidationError(
        {"website": ["Saisissez une URL valide."], NON_FIELD_ERRORS: ["Position sans qualité."]}
    )
    assert _messages(error, Organisation) == [
        "site web : Saisissez une URL valide.",
        "Position sans qualité.",
    ]


def test_a_file_with_its_header_only_succeeds_and_says_it_read_nothing(tmp_path):
    header_only = tmp_path / "tiers-lieux.csv"
    header_only.write_text(
        THIRD_PLACES_FILE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
    )
    report = source_import(slug="tiers-lieux", path=header_only)
    assert report.rows_read == 0
    assert "à vérifier : aucune ligne lue" in "\n".join(report.lines())
