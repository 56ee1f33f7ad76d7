"""The `qpv` importer: the ANCT's QPV 2024 outlines of the territory, under their commune."""

import copy
import json
import zipfile
from pathlib import Path

import pytest

from cartography.models import AreaKind, ReferenceArea
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "qpv" / "qpv_2024_sample.geojson"


@pytest.fixture
def communes(fast_communes):
    source_import(slug="communes")


def test_the_territorys_qpv_become_reference_areas_under_lille(communes):
    report = source_import(slug="qpv", path=SAMPLE)
    assert (report.created, report.rejected, report.out_of_territory) == (2, 1, 1)
    moulins = ReferenceArea.objects.get(kind=AreaKind.QPV, code="QN05990M")
    assert moulins.name == "Quartier de test Moulins"
    assert moulins.parent.code == "59350"
    assert moulins.geometry.geom_type == "MultiPolygon"
    assert moulins.geometry.srid == 4326
    fives = ReferenceArea.objects.get(kind=AreaKind.QPV, code="QN05991M")
    assert len(fives.geometry) == 2
    assert not ReferenceArea.objects.filter(code="QN05992M").exists()  # Roubaix


def test_swapped_axes_are_rejected_with_a_reason(communes):
    report = source_import(slug="qpv", path=SAMPLE)
    (rejection,) = report.rejections
    assert rejection.external_id == "QN05993M"
    assert "hors de France" in rejection.reason


def test_without_communes_the_qpv_are_kept_without_parent():
    source_import(slug="qpv", path=SAMPLE)
    assert ReferenceArea.objects.get(code="QN05990M").parent is None


def test_a_second_run_changes_nothing(communes):
    source_import(slug="qpv", path=SAMPLE)
    report = source_import(slug="qpv", path=SAMPLE)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_the_published_zip_is_read(communes, tmp_path):
    archive = tmp_path / "QP2024.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(SAMPLE, "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")
    assert source_import(slug="qpv", path=archive).created == 2


@pytest.mark.parametrize(
    "content",
    ["<html><body>Erreur 502</body></html>", "", json.dumps({"type": "Feature"}), "[1, 2]"],
)
def test_a_file_that_is_not_a_feature_collection_fails_and_changes_nothing(
    communes, tmp_path, content
):
    source_import(slug="qpv", path=SAMPLE)
    before = list(ReferenceArea.objects.order_by("pk").values_list("pk", "code", "name"))
    broken = tmp_path / "qpv.geojson"
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed):
        source_import(slug="qpv", path=broken)
    assert list(ReferenceArea.objects.order_by("pk").values_list("pk", "code", "name")) == before


def sample_features() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["features"]


def collection(path: Path, features: list) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def moulins(**properties) -> dict:
    feature = copy.deepcopy(sample_features()[0])
    feature["properties"] |= properties
    return feature


def test_a_self_intersecting_outline_is_made_valid(tmp_path):
    bowtie = moulins()
    bowtie["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[3.05, 50.62], [3.07, 50.64], [3.07, 50.62], [3.05, 50.64], [3.05, 50.62]]
        ],
    }
    report = source_import(slug="qpv", path=collection(tmp_path / "qpv.geojson", [bowtie]))
    assert (report.created, report.rejected) == (1, 0)
    area = ReferenceArea.objects.get(code="QN05990M")
    assert ReferenceArea.objects.filter(pk=area.pk, geometry__isvalid=True).exists()
    assert (area.geometry.geom_type, len(area.geometry)) == ("MultiPolygon", 2)


def test_an_outline_with_no_area_is_rejected_with_a_reason(tmp_path):
    flat = moulins()
    flat["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[3.05, 50.62], [3.07, 50.62], [3.05, 50.62], [3.05, 50.62]]],
    }
    report = source_import(slug="qpv", path=collection(tmp_path / "qpv.geojson", [flat]))
    (rejection,) = report.rejections
    assert rejection.reason == "Contour invalide : il ne délimite aucune surface."
    assert not ReferenceArea.objects.exists()


@pytest.mark.parametrize("name", ["code_qp", "insee_com"])
def test_a_property_renamed_in_every_feature_fails_the_run(tmp_path, name):
    features = sample_features()
    for feature in features:
        feature["properties"][f"{name}_2024"] = feature["properties"].pop(name)
    with pytest.raises(ImportFailed, match=name):
        source_import(slug="qpv", path=collection(tmp_path / "qpv.geojson", features))
    assert not ReferenceArea.objects.exists()


def test_a_feature_without_code_among_good_ones_is_rejected_alone(tmp_path):
    orphan = moulins(lib_qp="Sans code")
    del orphan["properties"]["code_qp"]
    features = [*sample_features()[:2], orphan]
    report = source_import(slug="qpv", path=collection(tmp_path / "qpv.geojson", features))
    assert (report.created, report.rejected) == (2, 1)
    assert report.rejections[0].reason == "Code du QPV manquant (colonne code_qp)."


@pytest.mark.parametrize(
    ("entry", "kind"), [({"type": "Point", "coordinates": [3.06, 50.63]}, "Point"), (7, "int")]
)
def test_an_entry_that_is_not_a_feature_is_rejected_not_out_of_the_territory(tmp_path, entry, kind):
    features = [*sample_features()[:2], entry]
    report = source_import(slug="qpv", path=collection(tmp_path / "qpv.geojson", features))
    assert (report.rows_read, report.created, report.out_of_territory) == (3, 2, 0)
    (rejection,) = report.rejections
    assert rejection.row_number == 3
    assert rejection.reason == f"Entrée illisible : ce n'est pas une Feature GeoJSON ({kind})."


def test_an_unreadable_file_is_explained_in_french(tmp_path):
    broken = tmp_path / "qpv.geojson"
    broken.write_text("<html><body>Erreur 502</body></html>", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        source_import(slug="qpv", path=broken)
    assert str(failure.value) == (
        "Fichier GeoJSON illisible qpv.geojson : JSON invalide ligne 1, colonne 1 "
        "(une page HTML, un fichier tronqué ?)"
    )


def test_a_truncated_zip_is_said_to_be_no_valid_zip(tmp_path):
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("qpv.geojson", json.dumps({"type": "FeatureCollection", "features": []}))
    cut = tmp_path / "qpv.zip"
    cut.write_bytes(whole.read_bytes()[:40])
    with pytest.raises(ImportFailed, match="ce n'est pas une archive zip valide"):
        source_import(slug="qpv", path=cut)
