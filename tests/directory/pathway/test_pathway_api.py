"""`/api/v1/pathway/`: the same answer as `/parcours/`, as JSON, documented by OpenAPI."""

import re

import pytest

from directory.models import ScaleUpStrategy, Sector, Stage, SupportKind
from tests.directory.pathway.test_pathway_page import JOURNEY, landscape  # noqa: F401 - a fixture
from tests.factories import MOULINS, WAZEMMES, make_area, make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/api/v1/pathway/"
#: The whole API answer, whatever the data (issue 20): the form's choices and quartiers, the
#: context (the project's terms, its place, every outline's share of it), the schemes with
#: their stages, terms, strategies, funders and partners, the offers with theirs and their
#: provider, the organisations to contact nearest first.
PATHWAY_API_QUERIES = 5


def page_slugs(html: str, section: str) -> list[str]:
    """The detail links of one section of the page, in order."""
    start = html.index(f'id="{section}"')
    end = html.index("</section>", start)
    return re.findall(r'href="/(?:financements|accompagnements)/([^/"]+)/"', html[start:end])


def test_the_api_returns_the_pages_answer_in_the_same_order(client, landscape):  # noqa: F811
    for index in range(3):
        scheme(f"Aide {index}", stages=("amorcage",))
    data = client.get(URL, JOURNEY).json()
    html = client.get("/parcours/", JOURNEY).content.decode()
    api_schemes = [item["slug"] for item in data["funding_schemes"]]
    assert api_schemes == page_slugs(html, "titre-financements")
    api_offers = [item["slug"] for item in data["support_offers"]]
    assert api_offers == page_slugs(html, "titre-accompagnements")
    assert data["count"] == len(api_schemes) + len(api_offers)


def test_each_item_carries_its_reasons_and_score(client, landscape):  # noqa: F811
    data = client.get(URL, JOURNEY).json()
    first = data["funding_schemes"][0]
    assert first["name"] == "Entreprendre autrement"
    assert "Couvre l'étape amorçage" in first["reasons"]
    assert first["score"] > 0
    assert first["page"].startswith("/financements/")
    assert data["place"]["kind"] == "adresse"
    assert data["organisations"][0]["name"] == "Incubateur de Moulins"
    assert data["organisations"][0]["distance_m"] == 0
    road = {step["stage"]: step for step in data["road_ahead"]}
    assert [item["name"] for item in road["consolidation"]["opening"]] == ["Fonds de consolidation"]
    closed = next(item for item in data["excluded"] if item["name"] == "AAP clos")
    assert closed["excluded_because"] == ["Clôturé le 31/12/2022"]


def test_a_bad_parameter_is_a_400_in_french(client):
    response = client.get(URL, {"stage": "demain"})
    assert response.status_code == 400
    assert "stage" in response.json()["champs"]


@pytest.fixture
def crowded(landscape):  # noqa: F811
    """Twelve schemes with stages, instruments, sectors, strategies, one to three funders
    and a co-financing partner each, some outlined; six offers with kinds and providers."""
    funders = [
        make_organisation(f"Financeur {index}", kinds=("financeur",), location=WAZEMMES.clone())
        for index in range(3)
    ]
    moulins = make_area("quartier", "59350-6", "Lille-Moulins", (3.06, 50.61, 3.08, 50.63))
    strategies = list(ScaleUpStrategy.objects.all())
    previous = None
    for index in range(12):
        made = scheme(
            f"Dispositif {index}",
            stages=("amorcage", "consolidation"),
            instruments=("subvention", "pret-d-honneur"),
            areas=(moulins,) if index % 2 else (),
        )
        made.funders.set(funders[: index % 3 + 1])
        made.scale_up_strategies.set(strategies[: index % len(strategies) + 1])
        made.sectors.set(Sector.objects.filter(slug="alimentation-durable"))
        if previous is not None:
            made.co_financeable_with.add(previous)
        previous = made
    for index in range(6):
        provider = make_organisation(f"Accompagnateur {index}", location=MOULINS.clone())
        offer = make_support_offer(f"Accompagnement {index}", provider=provider)
        offer.stages.set(Stage.objects.filter(slug__in=("amorcage", "consolidation")))
        offer.kinds.set(SupportKind.objects.filter(slug="incubation"))


def test_the_api_answers_in_five_queries_whatever_the_data(
    client,
    crowded,
    django_assert_max_num_queries,
):
    # 25 before issue 20's first fixes, 14 after them, 5 since the set-based loading.
    with django_assert_max_num_queries(PATHWAY_API_QUERIES):
        data = client.get(URL, JOURNEY).json()
    schemes = {item["name"]: item for item in data["funding_schemes"]}
    assert len(schemes) == 13
    assert schemes["Dispositif 1"]["stages"] == ["amorcage", "consolidation"]
    assert schemes["Dispositif 1"]["combine_with"][0]["name"] in ("Dispositif 0", "Dispositif 2")
    assert (
        "Territoire : Lille-Moulins, qui contient votre adresse"
        in schemes["Dispositif 1"]["reasons"]
    )
    organisations = {item["name"]: item for item in data["organisations"]}
    assert organisations["Financeur 2"]["roles"][0].startswith("Finance : Dispositif ")
    assert organisations["Accompagnateur 0"]["distance_m"] == 0
    assert organisations["Financeur 0"]["distance_m"] > 1000


def test_the_schema_documents_the_pathway_and_the_funding_lists(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/pathway/", "/api/v1/funding-schemes/", "/api/v1/support-offers/"):
        assert f"{path}:" in schema
    assert "name: support_kind" in schema
