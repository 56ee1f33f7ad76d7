"""The pathway at changement d'échelle: the strategy asked, ranked on, explained; and
co-financeable schemes presented together."""

from datetime import date

import pytest

from directory.models import ScaleUpStrategy, Stage
from directory.pathway.forms import PathwayForm
from directory.pathway.selectors import Project, pathway_get
from tests.factories import make_pathway_scheme as scheme
from tests.factories import make_support_offer

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)
URL = "/parcours/"
SCALE_UP = "changement-d-echelle"


@pytest.fixture
def growth():
    # "A" would come first by name: only the strategy puts "Z" ahead of it.
    scheme("A général", stages=(SCALE_UP,))
    duplication = scheme("Z essaimage", stages=(SCALE_UP,))
    duplication.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="duplication"))
    ville = scheme("AAP Ville", stages=(SCALE_UP,), funders_label="Ville de Lille")
    mel = scheme("AAP MEL", stages=(SCALE_UP,), funders_label="MEL")
    mel.co_financeable_with.add(ville)
    return {"ville": ville, "mel": mel}


def names(matches) -> list[str]:
    return [match.offer.name for match in matches]


def test_schemes_serving_the_chosen_strategy_come_first_with_the_reason(growth):
    result = pathway_get(project=Project(stage=SCALE_UP, strategy="duplication"), today=TODAY)
    assert names(result.schemes)[0] == "Z essaimage"
    assert "Soutient votre stratégie : duplication" in [
        reason.text for reason in result.schemes[0].reasons
    ]
    assert len(result.schemes) == 4  # a scheme silent on strategies is not set aside


def test_co_financeable_schemes_come_together(growth):
    result = pathway_get(project=Project(stage=SCALE_UP), today=TODAY)
    order = names(result.schemes)
    assert order.index("AAP Ville") == order.index("AAP MEL") + 1
    mel = result.schemes[order.index("AAP MEL")]
    assert [partner.name for partner in mel.partners] == ["AAP Ville"]


def test_the_page_asks_the_strategy_and_says_what_to_combine(client, growth):
    html = client.get(URL, {"stage": SCALE_UP, "strategy": "duplication"}).content.decode()
    assert 'name="strategy" id="id_strategy_1" value="duplication" checked' in html
    assert "Je ne sais pas" in html
    ville = growth["ville"]
    assert f'À combiner : MEL + <a href="/financements/{ville.slug}/">Ville de Lille</a>' in html
    assert 'id="strategies-explained"' not in html


def test_i_do_not_know_explains_the_five_strategies(client, growth):
    html = client.get(URL, {"stage": SCALE_UP, "strategy": "je-ne-sais-pas"}).content.decode()
    box = html[html.index('id="strategies-explained"') :]
    for name in ("Diversification :", "Duplication :", "Fertilisation :", "Coopération :"):
        assert name in box
    assert "Fusion :" in box


def test_the_strategy_is_ignored_at_another_stage(growth):
    form = PathwayForm({"stage": "amorcage", "strategy": "duplication"})
    assert form.is_valid()
    assert form.project().strategy == ""


def test_an_unknown_strategy_is_a_french_error_keeping_the_answers(client, growth):
    response = client.get(URL, {"stage": SCALE_UP, "strategy": "conquete"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sélectionnez un choix valide" in html
    assert 'value="changement-d-echelle" checked' in html


def test_the_scale_up_pathway_takes_a_bounded_number_of_queries(
    client, growth, django_assert_max_num_queries
):
    for index in range(10):
        scheme(f"Dispositif {index}", stages=(SCALE_UP,))
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"stage": SCALE_UP, "strategy": "duplication"})
    assert response.status_code == 200


def test_the_pathway_api_ranks_by_strategy_and_names_what_to_combine(client, growth):
    body = client.get("/api/v1/pathway/", {"stage": SCALE_UP, "strategy": "duplication"}).json()
    assert body["project"]["strategy"] == "duplication"
    schemes = body["funding_schemes"]
    assert schemes[0]["name"] == "Z essaimage"
    mel = next(item for item in schemes if item["name"] == "AAP MEL")
    assert mel["combine_with"] == [{"slug": growth["ville"].slug, "name": "AAP Ville"}]


def test_support_offers_serving_the_strategy_come_first_too(client, growth):
    make_support_offer("A incubateur").stages.set(Stage.objects.filter(slug=SCALE_UP))
    essaimage = make_support_offer("Z essaimage accompagné")
    essaimage.stages.set(Stage.objects.filter(slug=SCALE_UP))
    essaimage.scale_up_strategies.set(ScaleUpStrategy.objects.filter(slug="duplication"))
    query = {"stage": SCALE_UP, "strategy": "duplication", "need": "accompagnement"}
    offers = client.get("/api/v1/pathway/", query).json()["support_offers"]
    assert [offer["name"] for offer in offers] == ["Z essaimage accompagné", "A incubateur"]
    assert "Soutient votre stratégie : duplication" in offers[0]["reasons"]
