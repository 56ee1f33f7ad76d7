"""A layer of areas that is not loaded is said to be missing ("couche non chargée"), never
"aucun" or 0: on a site's page, in the directory's, the map's and the land list's filters,
in the API."""

import pytest

from cartography.models import AreaKind, Premises
from directory.areas import area_kinds_loaded_get
from directory.models import PublicationStatus, Source
from importers.models import ImportRun, RunStatus
from tests.factories import (
    FIVES,
    east_of,
    make_area,
    make_organisation,
    make_premises,
    square_around,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def qpv():
    return make_area(AreaKind.QPV, "QN05906M", "Fives", square_around(FIVES, 200))


@pytest.fixture
def quartier():
    return make_area(AreaKind.QUARTIER, "59350-5", "Fives", square_around(FIVES, 900))


def test_the_loaded_kinds_are_those_with_at_least_one_outline(quartier, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert area_kinds_loaded_get() == {"quartier"}


def test_a_site_page_says_the_qpv_layer_is_not_loaded(staff_client, quartier):
    site = make_premises("Local à Fives", location=FIVES.clone())

    html = staff_client.get(f"/foncier/{site.slug}/").content.decode()

    assert "QPV : couche non chargée" in html
    assert "QPV à moins de 300 m" not in html
    assert "Fives" in html  # the quartier layer is loaded: the quartier is named


def test_a_site_page_names_the_qpv_or_says_none_once_the_layer_is_loaded(staff_client, qpv):
    near = make_premises("Local à Fives", location=FIVES.clone())
    far = make_premises("Local loin", location=east_of(FIVES, 3000))

    near_html = staff_client.get(f"/foncier/{near.slug}/").content.decode()
    far_html = staff_client.get(f"/foncier/{far.slug}/").content.decode()

    assert "QPV à moins de 300 m" in near_html
    assert "le site y est" in near_html
    assert "<dd>aucun</dd>" in far_html
    assert "QPV : couche non chargée" not in far_html
    assert "Quartiers : couche non chargée" in far_html  # no quartier outline loaded here


def test_the_directory_qpv_filter_says_the_layer_is_missing_instead_of_zero(
    client, django_assert_max_num_queries
):
    make_organisation("Régie de Fives", location=FIVES.clone())

    with django_assert_max_num_queries(8):
        response = client.get("/annuaire/", {"qpv": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "QPV : couche non chargée" in html
    assert "Aucune organisation trouvée" not in html
    assert "Régie de Fives" not in html
    assert 'name="qpv" value="true" disabled' in html


def test_the_directory_qpv_filter_applies_once_the_layer_is_loaded(client, qpv):
    make_organisation("Régie de Fives", location=FIVES.clone())
    make_organisation("Loin", location=east_of(FIVES, 3000))

    html = client.get("/annuaire/", {"qpv": "true"}).content.decode()

    assert "couche non chargée" not in html.split('id="titre-resultats"')[1]
    assert "Régie de Fives" in html
    assert ">Loin<" not in html
    assert 'id="id_qpv" name="qpv" value="true" checked' in html


def test_the_quartier_filter_says_the_layer_is_missing(client):
    html = client.get("/annuaire/", {"quartier": "fives"}).content.decode()

    assert "Quartiers : couche non chargée" in html
    assert "Aucune organisation trouvée" not in html


def test_the_api_refuses_a_qpv_filter_without_the_layer(client):
    response = client.get("/api/v1/organisations/", {"qpv": "true"})

    assert response.status_code == 409
    assert response.json()["erreur"].startswith("QPV : couche non chargée")


def test_the_api_applies_the_qpv_filter_with_the_layer(client, qpv):
    make_organisation("Régie de Fives", location=FIVES.clone())

    response = client.get("/api/v1/organisations/", {"qpv": "true"})

    assert response.status_code == 200
    assert [f["properties"]["name"] for f in response.json()["features"]] == ["Régie de Fives"]


def test_the_map_legend_says_which_layers_are_not_loaded(client, quartier):
    html = client.get("/carte/").content.decode()

    assert "QPV : couche non chargée" in html
    assert "Quartiers : couche non chargée" not in html
    assert 'name="qpv" value="true" disabled' in html


def test_the_land_qpv_filter_says_the_layer_is_missing_instead_of_zero_sites(
    staff_client, quartier
):
    make_premises("Local à Fives", location=FIVES.clone())
    make_premises("Local loin", location=east_of(FIVES, 3000))

    response = staff_client.get("/foncier/?qpv=dans")

    html = response.content.decode()
    assert {site.name for site in response.context["sites"]} == {"Local à Fives", "Local loin"}
    assert "QPV : couche non chargée, ce filtre n&#x27;est pas disponible." in html
    assert response.context["form"].errors["qpv"] == [
        "QPV : couche non chargée, ce filtre n'est pas disponible."
    ]
    assert 'name="qpv" disabled' in html
    assert "Quartiers : couche non chargée" not in html  # the quartiers are loaded


def test_the_land_quartier_filter_says_the_layer_is_missing(staff_client, qpv):
    make_premises("Local à Fives", location=FIVES.clone())

    response = staff_client.get("/foncier/?quartier=12")

    assert [site.name for site in response.context["sites"]] == ["Local à Fives"]
    assert response.context["form"].errors["quartier"] == [
        "Quartiers : couche non chargée, ce filtre n'est pas disponible."
    ]
    assert "QPV : couche non chargée" not in response.content.decode()


def test_the_land_qpv_filter_applies_once_the_layer_is_loaded(staff_client, qpv):
    make_premises("Local à Fives", location=FIVES.clone())
    make_premises("Local loin", location=east_of(FIVES, 3000))

    response = staff_client.get("/foncier/?qpv=dans")

    assert [site.name for site in response.context["sites"]] == ["Local à Fives"]
    assert "QPV : couche non chargée" not in response.content.decode()


def test_the_map_says_the_premises_layer_is_not_loaded_until_a_site_is_published(client):
    site = make_premises("Local à Fives", location=FIVES.clone())
    Premises.objects.filter(pk=site.pk).update(publication_status=PublicationStatus.DRAFT)

    html = client.get("/carte/").content.decode()
    assert "Locaux et terrains : couche non chargée" in html
    assert "Locaux et terrains (opportunités foncières)" not in html

    Premises.objects.filter(pk=site.pk).update(publication_status=PublicationStatus.PUBLISHED)
    html = client.get("/carte/").content.decode()
    assert "Locaux et terrains (opportunités foncières)" in html
    assert "Locaux et terrains : couche non chargée" not in html


PREMISES_API = "/api/v1/premises/"
PREMISES_OGC = "/ogc/collections/premises/items"


def cartofriches_run(status: str) -> None:
    source, _ = Source.objects.get_or_create(
        slug="cartofriches",
        defaults={"name": "Cartofriches", "url": "https://cartofriches.cerema.fr/"},
    )
    ImportRun.objects.create(source=source, status=status)


def test_the_premises_api_and_ogc_say_the_layer_is_not_loaded_without_any_site(client):
    response = client.get(PREMISES_API)
    assert response.status_code == 409
    assert response.json()["couche_non_chargee"] is True
    assert response.json()["erreur"].startswith("Locaux et terrains : couche non chargée")

    ogc = client.get(PREMISES_OGC, {"f": "json"})
    assert ogc.status_code == 409
    assert "Locaux et terrains : couche non chargée" in ogc.content.decode()

    cartofriches_run(RunStatus.FAILED)  # a failed import loads nothing
    assert client.get(PREMISES_API).status_code == 409


def test_a_draft_site_or_a_cartofriches_run_makes_an_empty_premises_answer_a_fact(client):
    cartofriches_run(RunStatus.SUCCEEDED)  # it found no friche in the territory
    response = client.get(PREMISES_API)
    assert response.status_code == 200
    assert response.json()["features"] == []
    assert client.get(PREMISES_OGC, {"f": "json"}).json()["features"] == []

    ImportRun.objects.all().delete()
    site = make_premises("Hangar en discussion", location=FIVES.clone())
    Premises.objects.filter(pk=site.pk).update(publication_status=PublicationStatus.DRAFT)
    assert client.get(PREMISES_API).json()["features"] == []
    assert client.get(PREMISES_OGC, {"f": "json"}).status_code == 200


def test_the_areas_api_says_a_layer_asked_by_name_is_not_loaded(client, quartier):
    response = client.get("/api/v1/areas/", {"kind": "qpv,quartier"})

    assert response.status_code == 409
    body = response.json()
    assert body["couche_non_chargee"] is True
    assert body["erreur"].startswith("QPV : couche non chargée")
    assert "Quartiers" not in body["erreur"]  # that layer is loaded
    quartiers = client.get("/api/v1/areas/", {"kind": "quartier"})
    assert quartiers.status_code == 200
    assert len(quartiers.json()["features"]) == 1


def test_the_areas_api_serves_the_qpv_once_the_layer_is_loaded(client, qpv):
    response = client.get("/api/v1/areas/", {"kind": "qpv"})

    assert response.status_code == 200
    assert [f["properties"]["kind"] for f in response.json()["features"]] == ["qpv"]


def test_ogc_items_of_the_qpv_say_the_layer_is_not_loaded(client, quartier):
    response = client.get("/ogc/collections/areas-qpv/items", {"f": "json"})

    assert response.status_code == 409
    assert "QPV : couche non chargée" in response.content.decode()
    quartiers = client.get("/ogc/collections/areas-quartier/items", {"f": "json"})
    assert quartiers.status_code == 200
    assert len(quartiers.json()["features"]) == 1


def test_qpv_and_premises_tiles_say_the_layer_is_not_loaded(client, quartier):
    for layer in ("areas-qpv", "premises"):
        response = client.get(f"/tiles/{layer}/8/129/84.pbf")
        assert response.status_code == 409
        assert "couche non chargée" in response.content.decode()
    assert client.get("/tiles/areas-quartier/8/129/84.pbf").status_code == 200
