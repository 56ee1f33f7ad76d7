"""Fixtures shared by the whole suite. Tests run against the real PostGIS cluster of `make`."""

import pytest
from django.contrib.gis.geos import Point

#: A point in Lille-Moulins (Maison Stéphane Hessel, 235 boulevard Paul Painlevé).
MOULINS = Point(3.0727, 50.6197, srid=4326)


@pytest.fixture
def moulins_point() -> Point:
    return MOULINS.clone()
