"""`quartiers`: an outline drawn wrong (self-intersecting) is made valid, or rejected."""

import csv
import json
from pathlib import Path

import pytest

from cartography.models import AreaKind, ReferenceArea
from importers.engine.services import source_import
from importers.sources.quartiers import DATA_FILE

pytestmark = pytest.mark.django_db

#: A bowtie over Moulins: its two edges cross at (3.06, 50.63).
BOWTIE = [[[3.05, 50.62], [3.07, 50.64], [3.07, 50.62], [3.05, 50.64], [3.05, 50.62]]]
#: A "polygon" that goes and comes back along one line: no area at all.
FLAT = [[[3.05, 50.62], [3.07, 50.62], [3.05, 50.62], [3.05, 50.62]]]


def quartiers_file(path: Path, rings: dict[str, list]) -> Path:
    """The export's columns, one quartier of Lille per entry of `rings` (code -> rings)."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["commune", "quartier", "code_com", "code_quar", "geo_shape"])
        for code, coordinates in rings.items():
            shape = json.dumps({"type": "Polygon", "coordinates": coordinates})
            writer.writerow(["Lille", f"Quartier {code}", "350", code, shape])
    return path


def test_a_self_intersecting_outline_is_stored_valid(tmp_path):
    report = source_import(slug="quartiers", path=quartiers_file(tmp_path / "q.csv", {"6": BOWTIE}))
    assert (report.created, report.rejected) == (1, 0)
    area = ReferenceArea.objects.get(kind=AreaKind.QUARTIER, code="59350-6")
    assert ReferenceArea.objects.filter(pk=area.pk, geometry__isvalid=True).exists()
    assert (area.geometry.geom_type, len(area.geometry)) == ("MultiPolygon", 2)


def test_an_outline_with_no_area_is_rejected_alone(tmp_path):
    path = quartiers_file(tmp_path / "q.csv", {"6": BOWTIE, "7": FLAT})
    report = source_import(slug="quartiers", path=path)
    assert report.created == 1
    (rejection,) = report.rejections
    assert (rejection.external_id, rejection.reason) == (
        "59350-7",
        "Contour invalide : il ne délimite aucune surface.",
    )


def test_the_bundled_outlines_are_all_valid():
    report = source_import(slug="quartiers", path=DATA_FILE)
    assert (report.created, report.rejected) == (12, 0)
    assert not ReferenceArea.objects.filter(geometry__isvalid=False).exists()
