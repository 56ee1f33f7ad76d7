"""The precision stored with a point a person moves or removes (directory services)."""

import pytest
from django.contrib.gis.geos import Point

from directory.models import GeocodingQuality
from directory.services import organisation_point_precision


@pytest.mark.parametrize(
    ("location", "chosen", "expected"),
    [
        (None, False, ("", None)),
        ("point", False, (GeocodingQuality.MANUAL, None)),
        ("point", True, (GeocodingQuality.HOUSENUMBER, 0.9)),
    ],
    ids=["removed", "moved-by-hand", "precision-chosen"],
)
def test_a_moved_point_says_it_was_placed_by_hand_unless_told(location, chosen, expected):
    point = None if location is None else Point(3.0727, 50.6197, srid=4326)

    result = organisation_point_precision(
        location=point, quality=GeocodingQuality.HOUSENUMBER, score=0.9, quality_chosen=chosen
    )

    assert result == expected
