"""`/api/v1/pathway/`: the same answer as `/parcours/`, as JSON, documented by OpenAPI."""

import re

import pytest

from tests.directory.pathway.test_pathway_page import JOURNEY, landscape  # noqa: F401 - a fixture
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/api/v1/pathway/"
#: The whole API answer, whatever the number of schemes (the project's terms in one query,
#: the form's six lists of choices in one): 11, plus the scale-up layer's two (the schemes'
#: strategies and their co-financing partners), plus GeoDjango's one-time read of the SRID.
PATHWAY_API_QUERIES = 14


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


def test_the_api_takes_a_bounded_number_of_queries(
    client,
    landscape,  # noqa: F811
    django_assert_max_num_queries,
):
    for index in range(10):
        scheme(f"Dispositif {index}")
    # 25 before issue 20's first fixes, 20 after them.
    with django_assert_max_num_queries(PATHWAY_API_QUERIES):
        assert client.get(URL, JOURNEY).status_code == 200


def test_the_schema_documents_the_pathway_and_the_funding_lists(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/pathway/", "/api/v1/funding-schemes/", "/api/v1/support-offers/"):
        assert f"{path}:" in schema
    assert "name: support_kind" in schema
