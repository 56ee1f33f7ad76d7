"""`/api/v1/areas/`: communes, quartiers and QPV outlines for the map overlays."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from cartography.models import AreaKind, ReferenceArea

pytestmark = pytest.mark.django_db

URL = "/api/v1/areas/"


@pytest.fixture
def areas():
    def make(kind, code, name, bbox):
        geometry = MultiPolygon(Polygon.from_bbox(bbox), srid=4326)
        return ReferenceArea.objects.create(kind=kind, code=code, name=name, geometry=geometry)

    make(AreaKind.COMMUNE, "59350", "Lille", (2.97, 50.59, 3.13, 50.67))
    make(AreaKind.QUARTIER, "59350-4", "Fives", (3.075, 50.625, 3.10, 50.64))
    make(AreaKind.QPV, "QN05906M", "Lille Sud", (3.04, 50.60, 3.08, 50.615))


def test_areas_of_one_kind_with_their_slug(client, areas, django_assert_max_num_queries):
    # The loaded layers (a QPV or quartier layer never imported answers 409), the features,
    # the collection's origin.
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"kind": "quartier"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    (feature,) = response.json()["features"]
    assert feature["properties"] == {
        "kind": "quartier",
        "code": "59350-4",
        "name": "Fives",
        "slug": "fives",
    }
    assert feature["geometry"]["type"] == "MultiPolygon"  # as stored (issue 18)


def test_several_kinds_or_all(client, areas):
    both = client.get(URL, {"kind": "commune,qpv"}).json()["features"]
    every = client.get(URL).json()["features"]

    assert sorted(feature["properties"]["code"] for feature in both) == ["59350", "QN05906M"]
    assert len(every) == 3


def test_an_unknown_kind_is_a_400(client, areas):
    response = client.get(URL, {"kind": "pays"})

    assert response.status_code == 400
    assert "pays" in response.json()["erreur"]
