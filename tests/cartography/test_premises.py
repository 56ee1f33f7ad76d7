"""`/api/v1/premises/`: published land and premises opportunities, public fields only."""

import pytest

from cartography.models import PremisesKind, PremisesStatus
from tests.factories import DRAFT, PUBLISHED, lille_square, make_premises

pytestmark = pytest.mark.django_db


def test_published_premises_with_public_fields_only(client, django_assert_max_num_queries):
    make_premises(
        "Friche Saint-Sauveur",
        publication_status=PUBLISHED,
        status=PremisesStatus.AVAILABLE,
        surface_m2=2300,
        owner_name="M. Dupont",
        internal_notes="Ne pas diffuser",
    )
    make_premises("Local en préparation", publication_status=DRAFT)
    make_premises(
        "Terrain par son emprise",
        kind=PremisesKind.LAND,
        location=None,
        footprint=lille_square(),
        publication_status=PUBLISHED,
    )

    with django_assert_max_num_queries(3):  # layer loaded?, the features, the origin
        response = client.get("/api/v1/premises/")

    assert response.status_code == 200
    raw = response.content.decode()
    assert "Dupont" not in raw
    assert "Ne pas diffuser" not in raw
    features = {feature["properties"]["name"]: feature for feature in response.json()["features"]}
    assert list(features) == ["Friche Saint-Sauveur", "Terrain par son emprise"]
    assert features["Friche Saint-Sauveur"]["properties"]["surface_m2"] == 2300
    assert features["Terrain par son emprise"]["geometry"]["type"] == "Point"
