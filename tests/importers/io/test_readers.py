"""The file readers, and what a person reads when a file is wrong: always French, never the
English of Python or of its libraries. Also the count of every row of the bundled files."""

import csv
import json
import lzma
from pathlib import Path

import pytest

from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.io.readers import csv_header, csv_rows, detect_encoding, fixture_rows, load_json
from importers.sources import source_get
from importers.sources.communes import CommunesSource

#: Fragments of Python's and its libraries' messages that must never reach a person.
ENGLISH = (
    "codec",
    "can't decode",
    "Expecting value",
    "unexpected end of data",
    "Errno",
    "No such file",
    "not supported",
    "Compressed file ended",
    "line 1 column",
)


def failure_of(read, path: Path) -> str:
    with pytest.raises(ImportFailed) as failure:
        list(read(path))
    message = str(failure.value)
    assert not [fragment for fragment in ENGLISH if fragment in message], message
    return message


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def read_csv(path: Path):
    return csv_rows(path, columns=("nom", "ville"), delimiter=";")


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf\r\n"])
def test_an_empty_csv_says_it_is_empty_not_which_columns_it_lacks(tmp_path, content):
    message = failure_of(read_csv, write(tmp_path / "vide.csv", content))
    assert message == "vide.csv est vide."


def test_a_latin_1_file_is_read_as_windows_1252(tmp_path):
    path = write(tmp_path / "a.csv", "nom;ville\nCafé;Lille\n".encode("latin-1"))
    assert [row.data["nom"] for row in read_csv(path)] == ["Café"]


def test_a_file_cut_inside_a_character_is_explained(tmp_path):
    path = write(tmp_path / "a.csv", "nom;ville\nCafé;Lill".encode()[:-6])
    assert "au milieu d'un caractère UTF-8 : fichier tronqué" in failure_of(read_csv, path)


def test_a_missing_file_is_named_missing(tmp_path):
    assert "fichier introuvable" in failure_of(read_csv, tmp_path / "absent.csv")


@pytest.mark.parametrize(
    "content",
    [b"nom;ville\nx;y\n", lzma.compress(b"nom;ville\n" + b"x;y\n" * 1000)[:-200]],
    ids=["not-lzma", "truncated-lzma"],
)
def test_a_broken_lzma_file_is_explained(tmp_path, content):
    path = write(tmp_path / "a.csv.lzma", content)
    message = failure_of(read_csv, path)
    assert message.startswith("Fichier illisible a.csv.lzma : ")
    assert "illisibles" in message or "tronqué" in message


def test_optional_columns_read_as_empty_when_the_file_lacks_them(tmp_path):
    path = write(tmp_path / "a.csv", "ville;nom;autre\nLille; Café ;x\n".encode())
    rows = list(csv_rows(path, columns=("nom",), optional=("ville", "site"), delimiter=";"))
    assert rows[0].data == {"nom": "Café", "ville": "Lille", "site": ""}
    assert rows[0].number == 2


def test_csv_header_gives_the_trimmed_names(tmp_path):
    path = write(tmp_path / "a.csv", "\ufeffid ; adr1;libcom\n".encode())
    assert csv_header(path, delimiter=";") == ["id", "adr1", "libcom"]
    assert failure_of(csv_header, write(tmp_path / "b.csv", b"")) == "b.csv est vide."


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "fichier vide"),
        (b"<!DOCTYPE html><html></html>", "JSON invalide ligne 1, colonne 1"),
        (b'[{"nom": "Caf', "JSON invalide ligne 1"),
    ],
)
def test_an_unreadable_json_file_is_explained(tmp_path, content, expected):
    message = failure_of(load_json, write(tmp_path / "a.json", content))
    assert message.startswith("Fichier JSON invalide a.json : ")
    assert expected in message


def fixture(tmp_path, records) -> Path:
    return write(tmp_path / "f.json", json.dumps(records).encode())


def test_a_fixture_field_absent_from_every_record_fails(tmp_path):
    path = fixture(tmp_path, [{"model": "app.thing", "pk": 1, "fields": {"nom": "x"}}])
    with pytest.raises(ImportFailed, match=r"tous les enregistrements de f\.json : siret"):
        list(fixture_rows(path, model="app.thing", required=("nom", "siret")))


def test_a_fixture_field_absent_from_some_records_is_left_to_the_rows(tmp_path):
    records = [
        {"model": "app.thing", "pk": 1, "fields": {"nom": "x", "siret": "1"}},
        {"model": "app.thing", "pk": 2, "fields": {"nom": "y"}},
    ]
    rows = list(fixture_rows(fixture(tmp_path, records), model="app.thing", required=("siret",)))
    assert [row.data for row in rows] == [
        {"pk": 1, "nom": "x", "siret": "1"},
        {"pk": 2, "nom": "y"},
    ]


# --- every source of this set, given a hostile file ------------------------------------------

HOSTILE = {
    "missing.csv": None,
    "empty.csv": b"",
    "latin1.csv": "nom;ville\nCafé;Lille\n".encode("latin-1"),
    "empty.json": b"",
    "page.json": b"<html><body>502 Bad Gateway</body></html>",
    "broken.lzma": b"not lzma at all",
}
SOURCES = ("siae", "aides-territoires", "data-inclusion", "rna", "tiers-lieux", "communes", "seed")


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("slug", SOURCES)
def test_no_source_shows_english_for_a_hostile_file(tmp_path, slug, name):
    path = tmp_path / name
    if HOSTILE[name] is not None:
        path.write_bytes(HOSTILE[name])
    if slug == "seed":
        path = path.with_name(f"organisations{path.suffix}")
        if HOSTILE[name] is not None:
            path.write_bytes(HOSTILE[name])
    failure_of(source_get(slug).read, path)


# --- every row of the bundled files is counted once ----------------------------------------


@pytest.mark.django_db
def test_every_commune_of_the_national_file_is_counted_once():
    report = source_import(slug="communes", path=CommunesSource().default_file())
    assert report.created == 3
    assert report.rows_read > 35_000
    assert report.out_of_territory == report.rows_read - 3
    assert report.rows_read == report.rows_accounted


@pytest.mark.django_db
def test_a_territory_row_of_another_kind_is_set_aside(communes_file, tmp_path):
    with communes_file.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows, fields = list(reader), reader.fieldnames
    lille = next(row for row in rows if row["code"] == "59350")
    path = tmp_path / "communes.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows([*rows, lille | {"id": "999999", "type": "COMD"}])
    report = source_import(slug="communes", path=path)
    assert report.created == 3
    assert report.set_aside == {
        "découpages autres que communes et communes associées (COMD, ARM...)": 1
    }
    assert report.rows_read == report.rows_accounted


@pytest.mark.django_db
def test_every_row_of_the_seed_is_counted_once():
    assert source_import(slug="seed").rows_read == source_import(slug="seed").rows_accounted


def test_a_utf16_file_from_excel_is_read_as_utf16(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("nom,commune\nAtelier Vélo,Lille\n", encoding="utf-16")
    assert detect_encoding(path).name == "utf-16"
    rows = list(csv_rows(path, columns=("nom",)))
    assert rows[0].data == {"nom": "Atelier Vélo"}
