"""`tiers-lieux`: the 2019 inventory as CSV or GeoJSON, the same places either way."""

import json
from pathlib import Path

import pytest

from directory.models import Organisation
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.sources.tiers_lieux import DATA_FILE, geojson_rows

pytestmark = pytest.mark.django_db

GEOJSON = Path(__file__).resolve().parents[2] / (
    "data/tiers-lieux-anct-2019/CGET_TiersLieux_2019_lille.geojson"
)
PLACE_FIELDS = ("name", "street", "postcode", "city", "insee_code", "website", "location")


def places() -> list[tuple]:
    return list(Organisation.objects.order_by("name").values_list(*PLACE_FIELDS))


def collection() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def write(path: Path, content: dict) -> Path:
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", [DATA_FILE, GEOJSON])
def test_every_place_of_the_sample_is_counted_once(path):
    report = source_import(slug="tiers-lieux", path=path)
    assert report.rows_read == 25
    assert report.rows_read == report.rows_accounted


def test_the_geojson_gives_the_same_places_as_the_csv():
    from_geojson = source_import(slug="tiers-lieux", path=GEOJSON)
    assert from_geojson.created > 20
    imported = places()
    again = source_import(slug="tiers-lieux", path=DATA_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, from_geojson.created)
    assert places() == imported


def test_geojson_rows_read_like_csv_rows_even_the_insee_codes_written_as_numbers(tmp_path):
    content = collection()
    content["features"][0]["properties"]["INSEECOM"] = "1053"  # as the national file writes 01053
    row = next(geojson_rows(write(tmp_path / "tl.geojson", content)))
    assert row.data["INSEECOM"] == "01053"
    assert (row.data["LONG"], row.data["LAT"]) == tuple(
        str(value) for value in content["features"][0]["geometry"]["coordinates"]
    )
    assert "CONTACT" not in row.data
    assert "MAIL" not in row.data


def test_a_renamed_property_fails_the_run(tmp_path):
    content = collection()
    for feature in content["features"]:
        feature["properties"]["NOM"] = feature["properties"].pop("NOM_TL")
    with pytest.raises(ImportFailed, match=r"tous les enregistrements de tl\.geojson : NOM_TL"):
        source_import(slug="tiers-lieux", path=write(tmp_path / "tl.geojson", content))


def test_a_feature_without_a_name_or_a_point_is_only_that_features_problem(tmp_path):
    content = collection()
    del content["features"][0]["properties"]["NOM_TL"]
    content["features"][1]["geometry"] = None
    report = source_import(slug="tiers-lieux", path=write(tmp_path / "tl.geojson", content))
    assert report.rejected == 1
    assert "Nom du tiers-lieu manquant" in report.rejections[0].reason
    assert report.rows_read == report.rows_accounted


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"type": "Feature", "properties": {}}, "n'est pas une FeatureCollection"),
        (
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
                "features": [],
            },
            "autre système de coordonnées que WGS84",
        ),
    ],
)
def test_a_geojson_that_is_not_the_inventorys_fails_the_run(tmp_path, content, expected):
    with pytest.raises(ImportFailed, match=expected):
        source_import(slug="tiers-lieux", path=write(tmp_path / "tl.geojson", content))


def test_an_empty_csv_says_it_is_empty(tmp_path):
    path = tmp_path / "tl.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportFailed, match=r"tl\.csv est vide"):
        source_import(slug="tiers-lieux", path=path)


def test_a_geojson_with_two_feature_arrays_fails_the_run_and_imports_nothing(tmp_path):
    # ijson would import both arrays, json only the last: the file is refused instead.
    features = json.dumps(collection()["features"], ensure_ascii=False)
    path = tmp_path / "tl.geojson"
    path.write_text(
        f'{{"type": "FeatureCollection", "features": {features}, "features": {features}}}',
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match="deux fois la clé « features » au premier niveau"):
        source_import(slug="tiers-lieux", path=path)
    assert not Organisation.objects.exists()
