"""The spatial context of a site, computed by PostGIS on geometries built for the test."""

import pytest

from cartography.models import AreaKind
from cartography.selectors import premises_context_get
from tests.factories import (
    LILLE_CENTRE,
    east_of,
    make_organisation,
    make_premises,
    square_around,
    square_east_of,
)
from tests.factories import make_area as area

pytestmark = pytest.mark.django_db

SITE = LILLE_CENTRE


@pytest.fixture
def surroundings():
    area(AreaKind.QUARTIER, "59350-1", "Lille-Centre", square_around(SITE, 600))
    area(AreaKind.QPV, "QN05901", "QPV à 250 m", square_east_of(SITE, 250))
    # A 200 m square whose east edge lies 350 m west of the site.
    west = square_around(east_of(SITE, -450), 200)
    area(AreaKind.QPV, "QN05902", "QPV à 350 m", west)
    make_organisation("SCOP à 400 m", location=east_of(SITE, 400))
    make_organisation("Association à 600 m", location=east_of(SITE, 600))
    make_organisation("Tiers-lieu à 450 m", kinds=("tiers-lieu",), location=east_of(SITE, -450))
    make_organisation("Tiers-lieu à 800 m", kinds=("tiers-lieu",), location=east_of(SITE, 800))
    make_organisation(
        "Brouillon à 100 m", location=east_of(SITE, 100), publication_status="brouillon"
    )


def test_context_of_a_point(surroundings, django_assert_num_queries):
    site = make_premises("Local de la Grand'Place", location=SITE.clone())

    with django_assert_num_queries(1):
        context = premises_context_get(premises=site)

    assert context.quartiers == ["Lille-Centre"]
    assert [qpv["name"] for qpv in context.qpv] == ["QPV à 250 m"]
    assert context.qpv[0]["distance"] == pytest.approx(250, abs=3)
    assert [o.name for o in context.organisations_nearby] == ["SCOP à 400 m"]
    assert [o.name for o in context.third_places_nearby] == ["Tiers-lieu à 450 m"]
    assert context.nearest_third_place["name"] == "Tiers-lieu à 450 m"
    assert context.nearest_third_place["distance"] == pytest.approx(450, abs=2)
    assert context.computed_area_m2 is None


def test_distances_from_an_outline_start_at_its_edge(surroundings):
    # A 300 m square centred on the site: its edges are 150 m closer to everything.
    site = make_premises(
        "Îlot", location=None, footprint=square_around(SITE, 300), surface_m2=90_000
    )

    context = premises_context_get(premises=site)

    # The east QPV is 100 m away, the west one (350 m from the centre) 200 m: both count.
    assert [qpv["distance"] for qpv in context.qpv] == [
        pytest.approx(100, abs=3),
        pytest.approx(200, abs=3),
    ]
    assert {o.name for o in context.organisations_nearby} == {"SCOP à 400 m", "Association à 600 m"}
    assert context.computed_area_m2 == pytest.approx(90_000, rel=0.01)
    assert context.surface_gap is None


def test_a_declared_surface_far_from_the_outline_is_flagged():
    site = make_premises(
        "Terrain mal mesuré", location=None, footprint=square_around(SITE, 100), surface_m2=5_000
    )

    context = premises_context_get(premises=site)

    assert context.computed_area_m2 == pytest.approx(10_000, rel=0.01)
    assert context.surface_gap == pytest.approx(0.5, abs=0.01)


def test_a_site_far_from_everything_has_an_empty_context():
    context = premises_context_get(premises=make_premises("Local isolé"))
    assert context.quartiers == []
    assert context.qpv == []
    assert context.nearby == []
    assert context.nearest_third_place is None
