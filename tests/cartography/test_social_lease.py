"""The bail commercial d'utilité sociale (issue 17): a public page from its sources, a flag
on sites and on place offers, filterable, and the city services' count."""

import json

import pytest

from cartography.models import PlaceServiceKind
from cartography.place_services import place_offer_replace
from directory.places import organisation_place_set
from tests.cartography.test_land_sites import site_form
from tests.factories import FIVES, MOULINS, WAZEMMES, make_organisation, make_premises, make_user

pytestmark = pytest.mark.django_db


def service(slug, **conditions):
    row = {
        "kind": PlaceServiceKind.objects.get(slug=slug),
        "audience": "",
        "free": False,
        "price": "",
        "on_reservation": False,
        "accessibility": "inconnue",
        "social_lease": False,
        "details": "",
    }
    return {**row, **conditions}


@pytest.fixture
def accepting():
    """A place renting its workshop under the bail, another one not; a published site that
    accepts the bail, a draft one that does too, and a site that does not."""
    voisinerie = make_organisation("La Voisinerie", location=WAZEMMES)
    organisation_place_set(organisation=voisinerie, roles=["tiers-lieu"])
    place_offer_replace(
        organisation=voisinerie,
        services=[service("ateliers", social_lease=True), service("salles")],
        spaces=[],
    )
    other = make_organisation("Maison de l'ESS", location=MOULINS)
    organisation_place_set(organisation=other, roles=["lieu-ressource"])
    place_offer_replace(organisation=other, services=[service("salles")], spaces=[])
    make_premises(
        "Local rue Pierre Legrand",
        location=FIVES.clone(),
        social_lease=True,
        publication_status="publie",
    )
    make_premises("Local en préparation", location=FIVES.clone(), social_lease=True)
    make_premises("Friche sans bail", location=FIVES.clone(), publication_status="publie")
    return voisinerie


def names(response):
    return [place.name for place in response.context["page_obj"].object_list]


def test_the_public_page_explains_it_with_its_sources_and_counts(
    client, accepting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/lieux/bail-utilite-sociale/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "https://apes-hdf.org/articles/le-bail-commercial-dutilit" in body
    assert "wiki.laplumealoup.fr" in body
    assert "1 lieu de l'ESS propose au moins un service sous bail" in body
    assert "1 local ou terrain publié l'accepte" in body  # the draft one is not counted
    assert 'href="/lieux/?social_lease=on"' in body


def test_places_are_filtered_by_the_bail(client, accepting):
    assert names(client.get("/lieux/", {"social_lease": "on"})) == ["La Voisinerie"]
    assert names(client.get("/lieux/")) == ["La Voisinerie", "Maison de l'ESS"]
    collection = json.loads(client.get("/lieux/carte.geojson", {"social_lease": "on"}).content)
    assert [f["properties"]["name"] for f in collection["features"]] == ["La Voisinerie"]


def test_the_public_premises_layer_says_which_sites_accept_it(client, accepting):
    features = json.loads(client.get("/api/v1/premises/").content)["features"]
    flags = {f["properties"]["name"]: f["properties"]["social_lease"] for f in features}
    assert flags == {"Local rue Pierre Legrand": True, "Friche sans bail": False}


def test_city_services_filter_sites_and_count_them(client, accepting):
    client.force_login(make_user("agent", groups=("Services de la Ville",)))
    listed = client.get("/foncier/", {"social_lease": "on"})
    assert [site.name for site in listed.context["sites"]] == [
        "Local en préparation",
        "Local rue Pierre Legrand",
    ]
    report = client.get("/foncier/bail-utilite-sociale/")
    counts = report.context["counts"]
    assert (counts.sites, counts.sites_published, counts.services, counts.places) == (2, 1, 1, 1)
    body = report.content.decode()
    assert "La Voisinerie</a> : Atelier" in body
    assert "Local en préparation" in body


def test_the_report_is_for_the_city_services_only(client, accepting):
    client.force_login(make_user("habitant"))
    assert client.get("/foncier/bail-utilite-sociale/").status_code == 403


def test_a_site_form_sets_the_flag(client):
    client.force_login(make_user("agent", groups=("Services de la Ville",)))
    page = client.get("/foncier/sites/nouveau/").content.decode()
    assert 'name="social_lease"' in page


def test_a_site_edited_with_the_flag_keeps_it(client):
    client.force_login(make_user("agent", groups=("Services de la Ville",)))
    site = make_premises("Local rue Pierre Legrand", location=FIVES.clone())
    response = client.post(
        f"/foncier/{site.slug}/modifier/", site_form(name=site.name, social_lease="on")
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.social_lease
