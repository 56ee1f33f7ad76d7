"""The `data-inclusion` importer: structures of the schema v1, in CSV or JSON, without
anybody's personal contact, deduplicated on SIRET."""

import json
from pathlib import Path

import pytest

from directory.models import Organisation, Provenance
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRejection
from importers.sources.data_inclusion import landline, structure_email

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "data-inclusion"
CSV_FILE = DATA / "structures.csv"
JSON_FILE = DATA / "structures.json"
SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"


@pytest.mark.parametrize("path", [CSV_FILE, JSON_FILE])
def test_structures_of_the_territory_are_imported(path):
    report = source_import(slug="data-inclusion", path=path)
    assert (report.created, report.rejected, report.out_of_territory) == (4, 2, 1)
    atelier = Organisation.objects.get(name="Atelier Vélo Solidaire de Fives")
    assert set(atelier.kinds.values_list("slug", flat=True)) == {"siae"}
    assert set(atelier.sectors.values_list("slug", flat=True)) == {"iae"}
    assert (atelier.siret, atelier.insee_code, atelier.postcode) == (
        "50100001200010",
        "59350",
        "59000",
    )
    assert (atelier.location.x, atelier.location.y) == (3.0559, 50.6286)
    assert atelier.email == "contact@atelier-velo.example.org"
    assert atelier.phone == "03 20 12 34 56"
    assert not Organisation.objects.filter(name__contains="Roubaix").exists()


def test_bad_rows_are_rejected_with_their_reason():
    report = source_import(slug="data-inclusion", path=CSV_FILE)
    reasons = {r.external_id.rsplit("-", 1)[1]: r.reason for r in report.rejections}
    assert "Nom manquant" in reasons["000000000005"]
    assert "hors de France" in reasons["000000000006"]


def test_a_broken_siret_or_website_is_dropped_and_the_structure_kept():
    report = source_import(slug="data-inclusion", path=CSV_FILE)
    ai = Organisation.objects.get(name="Association intermédiaire du Vieux-Lille")
    assert (ai.siret, ai.website) == ("", "")
    assert set(ai.kinds.values_list("slug", flat=True)) == {"siae", "financeur", "accompagnement"}
    assert ai.phone == "03 20 99 88 77"
    assert any("SIRET invalide ignoré" in warning for warning in report.warnings)


def test_a_persons_email_and_mobile_are_never_stored():
    source_import(slug="data-inclusion", path=CSV_FILE)
    recyclerie = Organisation.objects.get(name="Recyclerie des Bois-Blancs")
    assert (recyclerie.email, recyclerie.phone) == ("", "")
    stored = repr(
        [
            *Organisation.objects.values_list("email", "phone", "description"),
            *Provenance.objects.values_list("raw", "imported_values"),
            *ImportRejection.objects.values_list("raw"),
        ]
    )
    assert "jeanne.dupont" not in stored
    assert "06 12 34 56 78" not in stored


@pytest.mark.parametrize(
    ("email", "kept"),
    [
        ("contact@asso.example.org", True),
        ("Accueil.Lille@asso.example.org", True),
        ("secretariat-siae@asso.example.org", True),
        ("jeanne.dupont@asso.example.org", False),
        ("jdupont@asso.example.org", False),
        ("j.dupont@gmail.com", False),
        ("pas un courriel", False),
    ],
)
def test_only_generic_mailboxes_are_kept(email, kept):
    assert bool(structure_email(email, [])) is kept


def test_mobiles_are_dropped_and_landlines_written_the_french_way():
    assert landline("+33 3 20 99 88 77", []) == "03 20 99 88 77"
    assert landline("0320998877", []) == "03 20 99 88 77"
    assert landline("06 12 34 56 78", []) == ""
    assert landline("07.12.34.56.78", []) == ""


def test_keeping_only_the_emplois_de_linclusion(settings):
    settings.CARTESS_DATA_INCLUSION_SOURCES = ["emplois-de-linclusion"]
    report = source_import(slug="data-inclusion", path=CSV_FILE)
    assert report.created == 3
    assert not Organisation.objects.filter(name="Point conseil budget Lille-Sud").exists()
    assert report.set_aside == {"structures d'autres producteurs que emplois-de-linclusion": 1}


def test_the_structures_of_other_producers_are_read_and_counted_as_set_aside(settings):
    settings.CARTESS_DATA_INCLUSION_SOURCES = ["dora"]
    report = source_import(slug="data-inclusion", path=CSV_FILE)
    assert (report.rows_read, report.created) == (7, 1)
    assert report.set_aside == {"structures d'autres producteurs que dora": 6}
    assert report.rows_read == report.rows_accounted
    assert "écartés : 6 structures d'autres producteurs que dora" in "\n".join(report.lines())


@pytest.mark.parametrize("path", [CSV_FILE, JSON_FILE])
def test_every_structure_read_is_counted_once(path):
    report = source_import(slug="data-inclusion", path=path)
    assert report.rows_read == 7
    assert report.rows_read == report.rows_accounted


def write_records(tmp_path, records) -> Path:
    path = tmp_path / "structures.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("field", ["nom", "code_insee", "id"])
def test_a_record_lacking_a_field_is_rejected_not_the_file(tmp_path, field):
    records = json.loads(JSON_FILE.read_text(encoding="utf-8"))
    del records[0][field]
    report = source_import(slug="data-inclusion", path=write_records(tmp_path, records))
    assert (report.created, report.rejected, report.out_of_territory) == (3, 3, 1)
    assert report.rows_read == report.rows_accounted
    reason = next(r.reason for r in report.rejections if r.row_number == 1)
    assert field in reason or "Identifiant manquant" in reason


def test_a_field_absent_from_every_record_fails_the_run(tmp_path):
    records = json.loads(JSON_FILE.read_text(encoding="utf-8"))
    for record in records:
        record["name"] = record.pop("nom")
    with pytest.raises(ImportFailed, match=r"tous les enregistrements de structures\.json : nom"):
        source_import(slug="data-inclusion", path=write_records(tmp_path, records))
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("structures.csv", b"", "structures.csv est vide"),
        ("structures.json", b"", "fichier vide"),
        ("structures.json", b"<html><body>502</body></html>", "JSON invalide ligne 1"),
        ("structures.csv", CSV_FILE.read_bytes()[:-2] + b"\xc3", "fichier tronqué"),
    ],
)
def test_an_unreadable_file_is_explained_in_french(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=expected) as failure:
        source_import(slug="data-inclusion", path=path)
    for english in ("codec", "Expecting value", "unexpected end of data", "colonnes manquantes"):
        assert english not in str(failure.value)


def test_a_missing_file_is_explained_in_french(tmp_path):
    with pytest.raises(ImportFailed, match="fichier introuvable") as failure:
        source_import(slug="data-inclusion", path=tmp_path / "structures.csv")
    assert "Errno" not in str(failure.value)


def test_the_same_siret_is_the_same_organisation_as_sirene_lists():
    source_import(slug="sirene", path=SIRENE)
    count = Organisation.objects.count()
    report = source_import(slug="data-inclusion", path=CSV_FILE)
    assert Organisation.objects.count() == count + 3
    assert report.updated == 1
    merged = Organisation.objects.get(siret="50100001200010")
    assert merged.name == "ASSOCIATION LES JARDINS DE MOULINS"  # SIRENE's, not overwritten
    assert merged.email == "contact@atelier-velo.example.org"  # empty until now: filled
    assert {"entreprise-ess", "siae"} <= set(merged.kinds.values_list("slug", flat=True))


def test_a_second_run_changes_nothing():
    source_import(slug="data-inclusion", path=JSON_FILE)
    report = source_import(slug="data-inclusion", path=JSON_FILE)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("structures.csv", "<html><body>502 Bad Gateway</body></html>\n"),
        ("structures.csv", ""),
        ("structures.json", '{"detail": "Not found"}'),
        ("structures.json", '[{"source": "dora"'),
    ],
)
def test_a_broken_file_fails_and_changes_nothing(tmp_path, name, content):
    source_import(slug="data-inclusion", path=CSV_FILE)
    before = list(Organisation.objects.order_by("pk").values())
    broken = tmp_path / name
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed):
        source_import(slug="data-inclusion", path=broken)
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_a_truncated_csv_fails_and_changes_nothing(tmp_path):
    broken = tmp_path / "structures.csv"
    broken.write_bytes(CSV_FILE.read_bytes()[:-60])
    with pytest.raises(ImportFailed, match="tronqué"):
        source_import(slug="data-inclusion", path=broken)
    assert not Organisation.objects.exists()
