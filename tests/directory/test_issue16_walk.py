"""Issue 16's own checks, walked on the Lille seed as a project holder would (the live
sources are out of reach here; the searches for "réemploi" and "vélo" are walked on
French factory data in `test_unified_search.py` and `test_synonyms.py`)."""

import pytest

from importers.engine.services import source_import

pytestmark = pytest.mark.django_db
SCALE_UP = "changement-d-echelle"


@pytest.fixture
def seeded():
    source_import(slug="seed")


def test_a_scic_wanting_to_duplicate_its_model_gets_the_mel_call_and_what_to_combine(
    client, seeded
):
    query = {"stage": SCALE_UP, "legal_family": "cooperative", "strategy": "duplication"}
    schemes = client.get("/api/v1/pathway/", query).json()["funding_schemes"]
    first = schemes[0]
    assert "Entreprendre autrement" in first["name"]
    assert "Soutient votre stratégie : duplication" in first["reasons"]
    partners = [partner["name"] for partner in first["combine_with"]]
    assert len(partners) == 1
    assert partners[0].startswith("Appel à projets permanent ESS de la Ville de Lille")
    assert "Ville de Lille" in schemes[1]["name"]  # presented together, right after it
    html = client.get("/parcours/", query).content.decode()
    assert "À combiner : " in html


def test_a_jobseeker_searching_dla_finds_the_dla(client, seeded):
    response = client.get("/recherche/", {"q": "DLA"})
    groups = {group.kind: group for group in response.context["result"].groups}
    names = [item.name for item in groups["accompagnements"].items]
    assert "DLA \u2013 Dispositif local d'accompagnement" in names  # an en dash
