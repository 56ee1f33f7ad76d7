"""Fixtures shared by the whole suite. Tests run against the real PostGIS cluster of `make`."""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from tests.factories import MOULINS


@pytest.fixture
def moulins_point() -> Point:
    return MOULINS.clone()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the sitemap's files and the contributions'
    rate limit are kept there, and what one test cached must not answer the next."""
    cache.clear()
