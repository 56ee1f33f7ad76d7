"""`/parcours/`: the form, the ranked result with its reasons, sharing, printing, errors."""

import pytest
from django.contrib.gis.geos import Point

from directory.models import Stage, SupportKind
from importers.engine.services import source_import
from tests.factories import MOULINS, make_organisation, make_support_offer
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db
URL = "/parcours/"
JOURNEY = {
    "stage": "amorcage",
    "legal_family": "association",
    "sector": "alimentation-durable",
    "where": "adresse",
    "address": "235 boulevard Paul Painlevé, Lille",
    "lat": f"{MOULINS.y}",
    "lon": f"{MOULINS.x}",
    "date": "2026-11-21",
}


@pytest.fixture
def landscape():
    mel = make_organisation("Métropole Européenne de Lille", kinds=("financeur",))
    entreprendre = scheme("Entreprendre autrement", stages=("amorcage", "consolidation"))
    entreprendre.funders.set([mel])
    scheme("Fonds de consolidation", stages=("consolidation",))
    scheme("AAP clos", closes_on="2022-12-31", recurrence="ponctuelle")
    incubator = make_organisation(
        "Incubateur de Moulins", kinds=("accompagnement",), location=MOULINS.clone()
    )
    offer = make_support_offer("Incubation ESS", provider=incubator, territory_scope="epci")
    offer.stages.set(Stage.objects.filter(slug="amorcage"))
    offer.kinds.set(SupportKind.objects.filter(slug="incubation"))


def test_the_form_asks_its_questions_in_labelled_groups(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for legend in ("Étape de votre projet", "Ce que vous cherchez", "Où est votre projet ?"):
        assert f"<legend>{legend}" in html
    assert 'method="get"' in html
    assert "Lille-Moulins" in html or "quartier" in html


def test_the_result_lists_schemes_offers_and_reasons(client, landscape):
    response = client.get(URL, JOURNEY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Entreprendre autrement" in html
    assert "Couvre l&#x27;étape amorçage" in html
    assert "Ouvert à toutes les familles juridiques" in html
    assert "Territoire : Hauts-de-France, qui contient votre adresse" in html
    assert "2 dispositifs et accompagnements vous correspondent maintenant." in html
    assert 'aria-live="polite"' in html
    assert "Incubateur de Moulins" in html
    assert "à 0 m" in html
    assert 'id="pathway-map"' in html


def test_the_road_ahead_and_the_excluded_with_why(client, landscape):
    html = client.get(URL, JOURNEY).content.decode()
    road = html[html.index("La suite du parcours") :]
    assert "Fonds de consolidation" in road
    assert "1 des choix ci-dessus vous suit aussi à cette étape." in road
    excluded = html[html.index('<details class="pathway-excluded">') :]
    assert "Voir ce qui a été écarté et pourquoi" in excluded
    assert "Clôturé le 31/12/2022" in excluded


def test_the_result_can_be_shared_and_printed(client, landscape):
    html = client.get(URL, JOURNEY).content.decode()
    assert 'id="pathway-url" readonly value="http://testserver/parcours/?stage=amorcage' in html
    assert "Imprimer la fiche" in html
    assert 'class="print-url"' in html or "Fiche imprimée depuis" in html
    assert "/api/v1/pathway/?stage=amorcage" in html


def test_the_result_offers_to_declare_a_premises_need(client, landscape):
    html = client.get(URL, JOURNEY).content.decode()
    assert "Besoin de locaux ?" in html
    assert 'href="/foncier/besoins/nouveau/"' in html


def test_an_unknown_stage_is_a_400_with_the_form(client):
    response = client.get(URL, {"stage": "demain"})
    assert response.status_code == 400
    assert "Étape de votre projet" in response.content.decode()


def test_an_address_the_ban_cannot_reach_fails_gracefully(client, landscape):
    query = {**JOURNEY, "lat": "", "lon": ""}
    response = client.get(URL, query)
    assert response.status_code == 400
    assert "Nous n&#x27;avons pas pu localiser cette adresse" in response.content.decode()


def test_an_address_is_placed_by_the_ban_from_the_server(client, landscape, httpserver, settings):
    answer = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [MOULINS.x, MOULINS.y]},
                "properties": {"label": "235 Boulevard Paul Painlevé 59000 Lille", "score": 0.9},
            }
        ],
    }
    httpserver.expect_request("/search/").respond_with_json(answer)
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/")
    response = client.get(URL, {**JOURNEY, "lat": "", "lon": ""})
    assert response.status_code == 200
    assert "235 Boulevard Paul Painlevé 59000 Lille" in response.content.decode()


def test_a_quartier_or_all_of_lille(client, landscape):
    quartier = client.get(URL, {**JOURNEY, "where": "quartier", "quartier": "inconnu"})
    assert "Quartier inconnu" in quartier.content.decode()
    lille = client.get(URL, {**JOURNEY, "where": "lille"})
    assert "qui contient tout Lille" in lille.content.decode()


def test_the_result_takes_a_bounded_number_of_queries(
    client, landscape, django_assert_max_num_queries
):
    for index in range(10):
        scheme(f"Dispositif {index}")
    # 32 before issue 20; the page now asks what the API asks (five queries), no more.
    with django_assert_max_num_queries(5):
        response = client.get(URL, JOURNEY)
    assert response.status_code == 200


def test_the_nav_and_the_home_page_lead_to_the_pathway(client):
    html = client.get("/").content.decode()
    assert 'href="/parcours/"' in html
    assert 'href="/financements/"' in html


def test_a_point_outside_lille_is_flagged(client, landscape):
    roubaix = Point(3.1746, 50.6942, srid=4326)
    source_import(slug="communes")
    response = client.get(URL, {**JOURNEY, "lat": roubaix.y, "lon": roubaix.x})
    assert response.status_code == 200
    assert "Cette adresse est hors de Lille, Hellemmes et Lomme" in response.content.decode()
