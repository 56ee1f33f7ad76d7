"""The `qpv` importer: the ANCT's QPV 2024 outlines of the territory, under their commune."""

import json
import zipfile
from pathlib import Path

import pytest

from cartography.models import AreaKind, ReferenceArea
from importers.errors import ImportFailed
from importers.services import source_import

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "qpv" / "qpv_2024_sample.geojson"


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
