"""`rna`: waldec files (real rows, moved to Lille), encodings, positions, BAN bulk geocoding."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory.models import EssStatus, GeocodingQuality, Organisation
from importers.engine.errors import ImportFailed, RowRejected
from importers.engine.services import source_import
from importers.models import GeocodingCacheEntry, ImportRun, RunStatus
from importers.sources.rna import map_association
from tests.importers.ban import bulk_handler, search_handler

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "data/rna/rna_sample_waldec.csv"


def sample_rows() -> tuple[list[str], list[dict]]:
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter=";")
        return reader.fieldnames, list(reader)


def lille_rows() -> tuple[list[str], list[dict]]:
    """The two active real rows, moved to Lille and Hellemmes, with their accents back."""
    header, rows = sample_rows()
    ariadne, ufic = rows[1], rows[2]
    ariadne |= {
        "titre": "ARIADNE THÉÂTRE",
        "objet": "Favoriser le développement d'une compagnie théâtrale",
        "adrs_numvoie": "235",
        "adrs_typevoie": "BD",
        "adrs_libvoie": "Paul Painlevé",
        "adrs_codeinsee": "59350",
        "adrs_codepostal": "59000",
        "adrs_libcommune": "Lille",
        "siteweb": "www.ariadne-theatre.fr",
    }
    ufic |= {
        "adrs_numvoie": "20",
        "adrs_typevoie": "RUE",
        "adrs_libvoie": "Roger Salengro",
        "adrs_codeinsee": "59298",
        "adrs_codepostal": "59260",
        "adrs_libcommune": "Hellemmes-Lille",
    }
    return header, [rows[0], ariadne, ufic]


def write(path: Path, header: list[str], rows: list[dict], encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.fixture
def ban(httpserver, settings) -> list:
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/ban")
    settings.CARTESS_HTTP_RETRY_DELAY = 0.001
    calls: list = []
    httpserver.expect_request("/ban/search/csv/", method="POST").respond_with_handler(
        bulk_handler(calls)
    )
    httpserver.expect_request("/ban/search/").respond_with_handler(search_handler)
    return calls


@pytest.fixture
def lille_file(tmp_path) -> Path:
    return write(tmp_path / "rna_waldec_20240901_dpt_59.csv", *lille_rows())


def test_the_real_sample_keeps_active_rows_and_drops_those_outside_the_territory(ban):
    report = source_import(slug="rna", path=SAMPLE)
    # One row is dissolved (D): set aside. The two active ones are in the Rhône.
    assert (report.rows_read, report.out_of_territory, report.created) == (3, 2, 0)
    assert report.set_aside == {"associations dissoutes ou supprimées (position D, S)": 1}
    assert ban == []  # nothing outside the territory is geocoded


def test_lille_associations_are_imported_geocoded_in_bulk(ban, lille_file):
    report = source_import(slug="rna", path=lille_file)
    assert (report.created, report.rejected) == (2, 0)
    assert len(ban) == 1
    ariadne = Organisation.objects.get(rna_id="W012000002")
    assert ariadne.name == "ARIADNE THÉÂTRE"
    assert ariadne.description.startswith("Favoriser le développement")
    assert ariadne.legal_family.slug == "association"
    assert (ariadne.ess_status, ariadne.ess_status_source) == (EssStatus.ESS, "statut")
    assert ariadne.street == "235 BD Paul Painlevé"
    assert ariadne.website == "http://www.ariadne-theatre.fr"
    assert ariadne.location.coords == (3.072722, 50.619712)
    assert (ariadne.geocoding_quality, ariadne.geocoding_score) == (
        GeocodingQuality.HOUSENUMBER,
        0.96,
    )
    hellemmes = Organisation.objects.get(rna_id="W012000005")
    assert hellemmes.location is not None  # BAN: citycode 59350, oldcitycode 59298


def test_a_second_run_changes_nothing_and_asks_the_ban_nothing(ban, lille_file):
    source_import(slug="rna", path=lille_file)
    again = source_import(slug="rna", path=lille_file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert len(ban) == 1
    assert GeocodingCacheEntry.objects.count() == 2


def test_a_latin_1_file_is_read_with_its_accents(ban, tmp_path):
    path = write(tmp_path / "latin1.csv", *lille_rows(), encoding="latin-1")
    assert source_import(slug="rna", path=path).created == 2
    assert Organisation.objects.filter(name="ARIADNE THÉÂTRE").exists()


def test_an_unknown_position_is_rejected_never_taken_as_active(ban, tmp_path):
    header, rows = lille_rows()
    rows[1]["position"] = "X"
    report = source_import(slug="rna", path=write(tmp_path / "x.csv", header, rows))
    assert report.created == 1
    assert "Position 'X' inconnue" in report.rejections[0].reason


def test_a_poor_geocode_leaves_the_association_off_the_map(ban, tmp_path):
    header, rows = lille_rows()
    rows[1] |= {"adrs_numvoie": "", "adrs_typevoie": "RUE", "adrs_libvoie": "du Bois"}
    source_import(slug="rna", path=write(tmp_path / "x.csv", header, rows))
    ariadne = Organisation.objects.get(rna_id="W012000002")
    assert (ariadne.location, ariadne.geocoding_quality) == (None, "")


def test_duplicated_ids_are_rejected(ban, tmp_path):
    header, rows = lille_rows()
    rows.append(dict(rows[1]))
    report = source_import(slug="rna", path=write(tmp_path / "x.csv", header, rows))
    assert report.created == 2
    assert "en double" in report.rejections[0].reason


def test_a_renamed_column_fails_the_run(ban, tmp_path):
    header, rows = lille_rows()
    header = ["adresse_insee" if name == "adrs_codeinsee" else name for name in header]
    for row in rows:
        row["adresse_insee"] = row.pop("adrs_codeinsee")
    with pytest.raises(ImportFailed, match="adrs_codeinsee"):
        source_import(slug="rna", path=write(tmp_path / "x.csv", header, rows))
    assert ImportRun.objects.get().status == RunStatus.FAILED


def test_a_truncated_file_fails_and_leaves_the_database_unchanged(ban, lille_file, tmp_path):
    content = lille_file.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(content[: content.rindex(b"\n", 0, len(content) - 1) + 40])
    with pytest.raises(ImportFailed, match="tronqué"):
        source_import(slug="rna", path=cut)
    assert not Organisation.objects.exists()
    assert not GeocodingCacheEntry.objects.exists()


def test_an_empty_file_fails(ban, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFailed, match=r"empty\.csv est vide"):
        source_import(slug="rna", path=empty)


def test_the_monthly_zip_is_read_through_the_department_member(ban, lille_file, tmp_path):
    archive = tmp_path / "rna_waldec_20240901.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("rna_waldec_20240901_dpt_01.csv", SAMPLE.read_bytes())
        out.write(lille_file, "rna_waldec_20240901_dpt_59.csv")
    assert source_import(slug="rna", path=archive).created == 2


def test_url_downloads_the_file_then_reads_it(ban, httpserver, lille_file):
    httpserver.expect_request("/rna_waldec_dpt_59.csv").respond_with_data(
        lille_file.read_bytes(), content_type="text/csv"
    )
    call_command("import", "rna", "--url", httpserver.url_for("/rna_waldec_dpt_59.csv"))
    assert Organisation.objects.count() == 2


def test_html_instead_of_csv_fails_the_run(ban, httpserver):
    httpserver.expect_request("/rna.csv").respond_with_data(
        "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    with pytest.raises(CommandError, match="page HTML au lieu d'un fichier"):
        call_command("import", "rna", "--url", httpserver.url_for("/rna.csv"))
    assert not Organisation.objects.exists()


def test_without_file_or_url_the_command_says_what_to_give():
    with pytest.raises(CommandError, match="--file ou --url"):
        call_command("import", "rna")


def test_the_mapper_ignores_an_invalid_siret_with_a_warning():
    _header, rows = lille_rows()
    mapped = map_association(rows[1] | {"siret": "12345678901234"})
    assert mapped.data.siret == ""
    assert "SIRET invalide" in mapped.warnings[0]
    with pytest.raises(RowRejected, match="RNA invalide"):
        map_association(rows[1] | {"id": "X123"})


# --- counts -----------------------------------------------------------------------------


def test_every_row_of_the_sample_is_counted_once(ban):
    report = source_import(slug="rna", path=SAMPLE)
    assert report.rows_read == report.rows_accounted


def test_dissolved_and_deleted_associations_are_read_and_set_aside(ban, tmp_path):
    header, rows = lille_rows()
    rows[1]["position"] = "S"
    report = source_import(slug="rna", path=write(tmp_path / "x.csv", header, rows))
    assert (report.rows_read, report.created) == (3, 1)
    assert report.set_aside == {"associations dissoutes ou supprimées (position D, S)": 2}
    assert report.rows_read == report.rows_accounted
    assert not Organisation.objects.filter(rna_id="W012000002").exists()


# --- the "import" export (associations of the former register) ---------------------------

IMPORT_SAMPLE = SAMPLE.with_name("rna_sample_import.csv")


def import_rows() -> tuple[list[str], list[dict]]:
    """The import sample's rows: the first two moved to Lille, active; the third in Paris."""
    with IMPORT_SAMPLE.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter=";")
        header, rows = reader.fieldnames, list(reader)
    rows[0] |= {
        "titre": "INDIGO MUSIQUES",
        "adr2": "235        BD  Paul Painlevé",
        "adrs_codepostal": "59000",
        "libcom": "LILLE",
        "adrs_codeinsee": "59350",
        "position": "A",
    }
    rows[1] |= {
        "adr1": "Résidence les Tilleuls",
        "adr2": "20 RUE Roger Salengro",
        "adr3": "BP 12",
        "adrs_codepostal": "59260",
        "libcom": "HELLEMMES-LILLE",
        "adrs_codeinsee": "59298",
        "position": "A",
    }
    return header, rows


def test_the_real_import_sample_is_read_its_paris_rows_out_of_the_territory(ban):
    report = source_import(slug="rna", path=IMPORT_SAMPLE)
    assert (report.rows_read, report.out_of_territory, report.created) == (3, 3, 0)
    assert report.rows_read == report.rows_accounted
    assert ban == []


def test_an_import_file_gives_associations_with_their_rna_number_and_address(ban, tmp_path):
    path = write(tmp_path / "rna_import_20240901_dpt_59.csv", *import_rows(), encoding="latin-1")
    report = source_import(slug="rna", path=path)
    assert (report.created, report.rejected, report.out_of_territory) == (2, 0, 1)
    assert report.rows_read == report.rows_accounted
    indigo = Organisation.objects.get(rna_id="W751085568")  # from `observation`
    assert indigo.name == "INDIGO MUSIQUES"
    assert (indigo.street, indigo.postcode, indigo.city) == (
        "235 BD Paul Painlevé",
        "59000",
        "LILLE",
    )
    assert indigo.location.coords == (3.072722, 50.619712)
    assert indigo.legal_family.slug == "association"
    pinel = Organisation.objects.get(rna_id="W751184848")
    assert (pinel.street, pinel.address_complement) == (
        "20 RUE Roger Salengro",
        "Résidence les Tilleuls, BP 12",
    )


def test_an_import_row_of_an_unknown_position_is_rejected(ban, tmp_path):
    header, rows = import_rows()
    rows[0]["position"] = "R"  # the sample's value, documented nowhere
    report = source_import(slug="rna", path=write(tmp_path / "import.csv", header, rows))
    assert (report.created, report.rejected) == (1, 1)
    assert "Position 'R' inconnue" in report.rejections[0].reason


def test_an_import_row_whose_id_is_already_an_rna_number_keeps_it(ban, tmp_path):
    header, rows = import_rows()
    rows[0] |= {"id": "W591000123", "observation": ""}
    source_import(slug="rna", path=write(tmp_path / "import.csv", header, rows))
    assert Organisation.objects.filter(rna_id="W591000123").exists()


# --- what a person reads when the file is wrong -------------------------------------------


def test_a_broken_zip_is_explained_in_french(ban, lille_file, tmp_path):
    archive = tmp_path / "rna_waldec_20240901.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.write(lille_file, "rna_waldec_20240901_dpt_59.csv")
    content = bytearray(archive.read_bytes())
    content[60:90] = bytes(30)  # inside the compressed member
    archive.write_bytes(bytes(content))
    with pytest.raises(ImportFailed, match="Archive illisible") as failure:
        source_import(slug="rna", path=archive)
    assert "Error" not in str(failure.value)
    assert "CRC" not in str(failure.value)


def test_a_missing_file_is_explained_in_french(ban, tmp_path):
    with pytest.raises(ImportFailed, match="fichier introuvable") as failure:
        source_import(slug="rna", path=tmp_path / "rna.csv")
    assert "Errno" not in str(failure.value)
