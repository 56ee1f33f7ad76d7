"""`/api/v1/funding-schemes/` and `/api/v1/support-offers/`: filtered, paginated JSON."""

import pytest

from directory.models import LegalFamily, Sector, Stage, SupportKind
from tests.factories import make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


def test_schemes_filter_by_stage_instrument_family_and_sector(client):
    scheme("Subvention amorçage", stages=("amorcage",))
    scheme("Prêt consolidation", stages=("consolidation",), instruments=("pret",))
    coop = scheme("Fonds coopératif")
    coop.eligible_legal_families.set(LegalFamily.objects.filter(slug="cooperative"))
    culture = scheme("Aide culture")
    culture.sectors.set(Sector.objects.filter(slug="culture"))
    url = "/api/v1/funding-schemes/"
    assert names(client.get(url, {"stage": "consolidation"})) == ["Prêt consolidation"]
    assert names(client.get(url, {"instrument": "pret"})) == ["Prêt consolidation"]
    assert "Fonds coopératif" not in names(client.get(url, {"legal_family": "association"}))
    assert "Fonds coopératif" in names(client.get(url, {"legal_family": "cooperative"}))
    assert "Aide culture" not in names(client.get(url, {"sector": "textile"}))


def test_schemes_open_today_and_pagination(client):
    scheme("Ouvert")
    scheme("Clos", closes_on="2020-01-01")
    url = "/api/v1/funding-schemes/"
    assert names(client.get(url, {"open": "true"})) == ["Ouvert"]
    page = client.get(url, {"limit": 1}).json()
    assert page["count"] == 2
    assert len(page["results"]) == 1
    assert page["next"]


def test_scheme_fields_follow_the_contract(client):
    funder = make_organisation("Nord Actif", kinds=("financeur",))
    made = scheme("Garantie", instruments=("garantie",), amount_max=30000, amount_text="jusqu'à")
    made.funders.set([funder])
    item = client.get("/api/v1/funding-schemes/").json()["results"][0]
    assert item["stages"] == ["amorcage"]
    assert item["instruments"] == ["garantie"]
    assert item["amount_max"] == 30000
    assert item["funders"] == [{"slug": funder.slug, "name": "Nord Actif"}]


def test_support_offers_filter_by_stage(client):
    provider = make_organisation("BGE", kinds=("accompagnement",))
    offer = make_support_offer("Couveuse", provider=provider)
    offer.stages.set(Stage.objects.filter(slug="pre-amorcage"))
    offer.kinds.set(SupportKind.objects.filter(slug="hebergement-cae"))
    url = "/api/v1/support-offers/"
    assert names(client.get(url, {"stage": "pre-amorcage"})) == ["Couveuse"]
    assert names(client.get(url, {"stage": "amorcage"})) == []
    item = client.get(url).json()["results"][0]
    assert item["provider"]["name"] == "BGE"
    assert item["kinds"] == ["hebergement-cae"]


def test_a_malformed_filter_is_a_400(client):
    assert client.get("/api/v1/funding-schemes/", {"stage": "a b"}).status_code == 400


def test_q_keeps_the_matching_schemes_best_first_with_synonyms(client):
    scheme("Prêt d'honneur solidaire", instruments=("pret",))
    scheme("Emprunt participatif", description="Un emprunt pour consolider.")
    scheme("Subvention amorçage", description="Une aide pour démarrer.")
    scheme("Fonds vert", eligibility_text="Structures du réemploi.")
    url = "/api/v1/funding-schemes/"

    assert sorted(names(client.get(url, {"q": "pret"}))) == [
        "Emprunt participatif",
        "Prêt d'honneur solidaire",
    ]
    assert names(client.get(url, {"q": "recyclerie"})) == ["Fonds vert"]  # eligibility
    assert names(client.get(url, {"q": "zzqxw"})) == []
    assert len(names(client.get(url, {"q": ""}))) == 4
    response = client.get(url, {"q": "pret " * 50})
    assert response.status_code == 400
    assert "trop longue" in response.json()["erreur"]


def test_q_on_support_offers(client):
    make_support_offer("Accompagnement DLA", description="Dispositif local d'accompagnement.")
    make_support_offer("Incubateur", description="Pour démarrer.")

    assert names(client.get("/api/v1/support-offers/", {"q": "DLA"})) == ["Accompagnement DLA"]
    assert names(client.get("/api/v1/support-offers/", {"q": "couveuse"})) == []


def test_q_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    for path in ("/api/v1/funding-schemes/", "/api/v1/support-offers/"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert "synonymes" in parameters["q"]["description"]
