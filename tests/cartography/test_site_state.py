"""One state for a site everywhere: once the pipeline attributes or abandons a site, the
public API, the map layers, the land pages, a third place's spaces and the needs' matching
stop saying it is available (cartography.site_state)."""

import json

import pytest

from cartography.layers import PREMISES
from cartography.models import PipelineStage, PremisesStatus
from cartography.selectors import need_candidates_get
from cartography.site_state import premises_is_open, premises_public_status
from tests.factories import FIVES, PUBLISHED, make_need, make_organisation, make_premises

pytestmark = pytest.mark.django_db

AVAILABLE, SOON, OCCUPIED = "disponible", "bientot", "occupe"


@pytest.mark.parametrize(
    ("status", "stage", "public"),
    [
        (AVAILABLE, PipelineStage.QUALIFIED, AVAILABLE),
        (AVAILABLE, PipelineStage.PROPOSED, AVAILABLE),
        (AVAILABLE, PipelineStage.ALLOCATED, PremisesStatus.UNDER_PROJECT),
        (SOON, PipelineStage.ALLOCATED, PremisesStatus.UNDER_PROJECT),
        (AVAILABLE, PipelineStage.ABANDONED, PremisesStatus.UNKNOWN),
        (OCCUPIED, PipelineStage.ALLOCATED, OCCUPIED),
    ],
)
def test_the_public_state_follows_the_pipeline(status, stage, public):
    assert premises_public_status(status=status, pipeline_stage=stage) == public


def test_a_closed_or_taken_site_is_not_open():
    assert premises_is_open(status=AVAILABLE, pipeline_stage=PipelineStage.PROPOSED)
    assert not premises_is_open(status=AVAILABLE, pipeline_stage=PipelineStage.ALLOCATED)
    assert not premises_is_open(status=AVAILABLE, pipeline_stage=PipelineStage.ABANDONED)
    assert not premises_is_open(status=OCCUPIED, pipeline_stage=PipelineStage.QUALIFIED)


@pytest.fixture
def sites():
    """Three published sites recorded "disponible": one still offered, one attributed, one
    abandoned."""
    return {
        stage: make_premises(
            f"Site {stage}", status=AVAILABLE, pipeline_stage=stage, publication_status=PUBLISHED
        )
        for stage in (PipelineStage.QUALIFIED, PipelineStage.ALLOCATED, PipelineStage.ABANDONED)
    }


def test_the_public_api_no_longer_says_available(client, sites):
    features = client.get("/api/v1/premises/").json()["features"]

    statuses = {f["properties"]["name"]: f["properties"]["status"] for f in features}
    assert statuses == {
        "Site qualifie": "disponible",
        "Site attribue": "en-projet",
        "Site abandonne": "inconnu",
    }
    assert all("stage" not in feature["properties"] for feature in features)


def test_the_staff_map_layer_says_the_same(sites):
    ids = [site.pk for site in sites.values()]
    collection = json.loads(PREMISES.feature_collection("land", ids=ids))

    statuses = {f["properties"]["name"]: f["properties"]["status"] for f in collection["features"]}
    assert statuses["Site attribue"] == "en-projet"
    assert statuses["Site abandonne"] == "inconnu"
    assert statuses["Site qualifie"] == "disponible"


def test_the_land_pages_say_the_same(staff_client, sites):
    attributed = sites[PipelineStage.ALLOCATED]

    page = staff_client.get(f"/foncier/{attributed.slug}/").content.decode()
    listing = staff_client.get("/foncier/").content.decode()

    assert "Projet en cours" in page
    assert ">Disponible<" not in page
    assert listing.count("<td>Disponible</td>") == 1
    assert "<td>Projet en cours</td>" in listing


def test_a_reopened_site_is_available_again_as_recorded(client, sites):
    attributed = sites[PipelineStage.ALLOCATED]
    attributed.pipeline_stage = PipelineStage.IDENTIFIED
    attributed.save()

    features = client.get("/api/v1/premises/").json()["features"]

    reopened = next(f for f in features if f["properties"]["name"] == "Site attribue")
    assert reopened["properties"]["status"] == "disponible"


def test_an_attributed_space_leaves_the_third_place_page(client):
    place = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    for name, stage in (("Atelier libre", "qualifie"), ("Bureau attribué", "attribue")):
        make_premises(
            name,
            kind="espace-tiers-lieu",
            third_place=place,
            status=AVAILABLE,
            pipeline_stage=stage,
            publication_status=PUBLISHED,
        )

    body = client.get(f"/organisations/{place.slug}/").content.decode()

    assert "Atelier libre" in body
    assert "Bureau attribué" not in body


def test_the_matching_leaves_out_attributed_and_abandoned_sites(sites):
    names = [candidate.premises.name for candidate in need_candidates_get(need=make_need())]

    assert names == ["Site qualifie"]
