"""Hostile JSON, GeoJSON and archives: nesting and size limits for every JSON source, zip
and gzip bombs, NaN, infinite, empty and non-numeric geometries (QPV, Cartofriches), and
the SIRENE bulk path (control characters, 100,000 copies of one SIRET, a bomb, a
duplicated column). Raw provenance keeps bounded values."""

import json
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from cartography.models import AreaKind, Premises, ReferenceArea
from directory.models import Organisation, Provenance
from importers.engine.cells import RAW_CUT_MARK
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.models import ImportRun
from tests.importers.hostile.cases import DATA, csv_cases

pytestmark = pytest.mark.django_db

#: A JSON file of each source that reads one, by slug.
JSON_FILES = {
    "tiers-lieux": "lieux.geojson",
    "data-inclusion": "structures.json",
    "qpv": "qpv.geojson",
    "cartofriches": "friches.json",
    "aides-territoires": "aides.json",
    "recherche-entreprises": "reponses.json",
}
DEEP = {
    "arrays": b"[" * 100_000 + b"]" * 100_000,
    "objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "in-a-valid-envelope": b'{"type": "FeatureCollection", "features": '
    + b"[" * 5_000
    + b"]" * 5_000
    + b"}",
}


def failure(slug: str, path: Path) -> str:
    with pytest.raises(ImportFailed) as failed:
        source_import(slug=slug, path=path)
    return str(failed.value)


@pytest.mark.parametrize("shape", DEEP, ids=str)
@pytest.mark.parametrize("slug", JSON_FILES, ids=str)
def test_deep_json_fails_in_french_without_recursion(tmp_path, unchanged, slug, shape):
    path = tmp_path / JSON_FILES[slug]
    path.write_bytes(DEEP[shape])
    unchanged(
        lambda: _assert_in("imbrique ses données sur plus de 64 niveaux", failure(slug, path))
    )


@pytest.mark.parametrize("slug", JSON_FILES, ids=str)
def test_json_over_the_size_limit_fails(tmp_path, settings, unchanged, slug):
    settings.CARTESS_IMPORT_MAX_JSON_BYTES = 100
    path = tmp_path / JSON_FILES[slug]
    path.write_text(json.dumps({"results": [{"id": "x" * 200}]}), encoding="utf-8")
    unchanged(lambda: _assert_in("dépasse 100 octets de JSON", failure(slug, path)))


def _assert_in(fragment: str, message: str) -> None:
    assert fragment in message


# --- QPV ----------------------------------------------------------------------------------

QPV = json.loads((DATA / "qpv" / "qpv_2024_sample.geojson").read_text(encoding="utf-8"))


def qpv_with(tmp_path, geometries: dict[str, object]) -> Path:
    """The sample's first QPV (valid, in Lille), and one QPV of Lille per bad geometry."""
    good = QPV["features"][0]
    features = [good] + [
        {**good, "properties": good["properties"] | {"code_qp": code}, "geometry": geometry}
        for code, geometry in geometries.items()
    ]
    path = tmp_path / "qpv.geojson"
    path.write_text(json.dumps({**QPV, "features": features}), encoding="utf-8")
    return path


def test_a_bad_qpv_outline_rejects_its_row_only(tmp_path):
    ring = QPV["features"][0]["geometry"]["coordinates"][0]
    bad = {
        "QN0NAN": {"type": "Polygon", "coordinates": [[[float("nan"), 50.6], *ring[1:]]]},
        "QN0INF": {"type": "Polygon", "coordinates": [[[float("inf"), 50.6], *ring[1:]]]},
        "QN0TXT": {"type": "Polygon", "coordinates": [[["trois", "cinquante"], *ring[1:]]]},
        "QN0EMPTY": {"type": "Polygon", "coordinates": []},
        "QN0NULL": None,
    }
    report = source_import(slug="qpv", path=qpv_with(tmp_path, bad))
    reasons = {r.external_id: r.reason for r in report.rejections}
    assert set(reasons) == set(bad)
    assert all("Contour" in reason or "Géométrie" in reason for reason in reasons.values())
    assert list(ReferenceArea.objects.filter(kind=AreaKind.QPV).values_list("code", flat=True)) == [
        "QN05990M"
    ]


def test_a_zip_bomb_stops_at_the_limit(tmp_path, settings, unchanged):
    settings.CARTESS_IMPORT_MAX_RATIO = 1
    archive = tmp_path / "QP2024.zip"
    padded = json.dumps(QPV) + " " * (8 << 20)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("QP2024.geojson", padded)
    assert archive.stat().st_size < 100_000
    unchanged(lambda: _assert_in("CARTESS_IMPORT_MAX_BYTES", failure("qpv", archive)))


# --- Cartofriches -------------------------------------------------------------------------

FRICHES = next(case for case in csv_cases() if case.slug == "cartofriches")


@pytest.mark.parametrize(
    "point",
    ["POINT(NaN NaN)", "POINT EMPTY", "POINT(inf 50.63)", "POINT(trois cinquante)"],
    ids=["nan", "empty", "infinity", "words"],
)
def test_a_bad_friche_point_rejects_its_row_only(tmp_path, point):
    rows = [dict(row) for row in FRICHES.rows]
    rows[0]["geompoint"] = point
    path = tmp_path / FRICHES.name
    path.write_text(FRICHES.render(rows), encoding="utf-8")
    report = source_import(slug="cartofriches", path=path)
    (rejection,) = report.rejections
    assert rejection.row_number == 2
    assert "Géométrie" in rejection.reason
    assert Premises.objects.count() == 1


@pytest.mark.parametrize("surface", ["Infinity", "NaN", "-inf", "1e999"])
def test_an_infinite_surface_is_ignored_not_fatal(tmp_path, surface):
    rows = [dict(row) for row in FRICHES.rows]
    rows[0] |= {"unite_fonciere_surface": surface, "bati_surface": surface}
    path = tmp_path / FRICHES.name
    path.write_text(FRICHES.render(rows), encoding="utf-8")
    report = source_import(slug="cartofriches", path=path)
    assert (report.created, report.rejected) == (2, 0)


# --- SIRENE -------------------------------------------------------------------------------

ETABLISSEMENTS = "StockEtablissement_utf8.csv"


@pytest.fixture
def sirene(tmp_path) -> Path:
    folder = tmp_path / "sirene"
    shutil.copytree(DATA / "sirene", folder)
    return folder


def test_sirene_strips_control_characters(sirene):
    path = sirene / ETABLISSEMENTS
    path.write_text(path.read_text(encoding="utf-8").replace("LA MONNAIE", "LA\x00 MON\x07NAIE"))
    report = source_import(slug="sirene", path=sirene)
    assert report.created == 9
    assert Organisation.objects.filter(street__contains="LA MONNAIE").exists()


def test_sirene_copies_of_one_siret_cost_linear_time(sirene):
    """20,000 copies here; 100,000 take seconds (README). A later copy is refused as it is
    read, before it is mapped or staged, and kept as bounded JSON text, not a model
    instance. The bound leaves room for a loaded machine."""
    copies = 20_000
    path = sirene / ETABLISSEMENTS
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    line = next(line for line in lines if "LA MONNAIE" in line)
    path.write_text("\n".join([header, *lines, *[line] * copies]) + "\n", encoding="utf-8")
    started = time.monotonic()
    report = source_import(slug="sirene", path=sirene)
    assert time.monotonic() - started < 30
    assert report.created == 9
    doubles = [r for r in report.rejections if "en double" in r.reason]
    assert len(doubles) == copies
    assert doubles[-1].raw["siret"] == doubles[0].external_id
    run = ImportRun.objects.get(pk=report.run_id)
    assert run.rejections.filter(reason__contains="en double").count() == copies


def test_a_sirene_zip_bomb_fails_and_writes_nothing(sirene, settings, unchanged):
    source_import(slug="sirene", path=sirene)
    settings.CARTESS_IMPORT_MAX_RATIO = 1
    path = sirene / ETABLISSEMENTS
    with zipfile.ZipFile(sirene / "StockEtablissement_utf8.zip", "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(ETABLISSEMENTS, path.read_text(encoding="utf-8") + "\n" * (8 << 20))
    path.unlink()
    unchanged(lambda: _assert_in("CARTESS_IMPORT_MAX_BYTES", failure("sirene", sirene)))


def test_a_sirene_duplicated_column_fails_and_writes_nothing(sirene, unchanged):
    source_import(slug="sirene", path=sirene)
    path = sirene / ETABLISSEMENTS
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    lines = [f"{line},x" if line else line for line in rest.split("\n")]
    path.write_text("\n".join([f"{header},siret", *lines]), encoding="utf-8")
    unchanged(lambda: _assert_in("colonne en double siret", failure("sirene", sirene)))


# --- Provenance ---------------------------------------------------------------------------


def test_raw_provenance_keeps_bounded_values(tmp_path, settings):
    settings.CARTESS_IMPORT_RAW_VALUE_MAX = 100
    case = next(case for case in csv_cases() if case.slug == "data-inclusion")
    rows = [dict(row) for row in case.rows]
    rows[0]["description"] = "Réparation de vélos. " * 500
    path = tmp_path / case.name
    path.write_text(case.render(rows), encoding="utf-8")
    source_import(slug="data-inclusion", path=path)
    raw = Provenance.objects.get(raw__nom=rows[0]["nom"]).raw
    assert raw["description"] == rows[0]["description"][:100] + RAW_CUT_MARK
    assert Organisation.objects.get(name=rows[0]["nom"]).description.startswith("Réparation")
