"""Fixtures shared by the whole suite. Tests run against the real PostGIS cluster of `make`."""

import pytest
from django.contrib.gis.geos import Point

from tests.factories import MOULINS


@pytest.fixture
def moulins_point() -> Point:
    return MOULINS.clone()
