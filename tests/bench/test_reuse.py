"""`make bench`'s reuse measures (issue 18): tiles and OGC pages, each beside its SQL."""

import pytest

from bench.reuse import LILLE, reuse_time, tile_of
from tests.factories import LILLE_CENTRE, make_organisation

pytestmark = pytest.mark.django_db


def test_tile_of_matches_the_tile_the_server_draws():
    assert tile_of(*LILLE, 14) == (8331, 5511)


def test_reuse_time_reports_each_measure_beside_its_sql():
    make_organisation("Le Comptoir du centre", location=LILLE_CENTRE.clone())
    timings = reuse_time(runs=3)
    labels = [timing.label for timing in timings]
    assert labels[0] == "tuile ville (Lille, z14)"
    assert labels[1] == "  tuile ville (Lille, z14) : SQL seule"
    assert len(timings) == 6
    assert "HTTP 200" in timings[0].detail
    assert "rapport p95 complet / SQL" in timings[1].detail
