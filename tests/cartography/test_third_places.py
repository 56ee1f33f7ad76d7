"""Third places and "lieux totems": staff mark them in /foncier/tiers-lieux/, filter on them,
and the public sees the flag, the services and the open spaces (public fields only)."""

import datetime

import pytest

from cartography.models import PlaceService, Premises, PremisesStatus
from cartography.place_services import place_totem_set
from cartography.selectors import THIRD_PLACE_SPACE_PUBLIC_FIELDS, third_place_public_get
from directory.models import Organisation
from tests.cartography.test_place_offer import form_data
from tests.factories import (
    DRAFT,
    FIVES,
    LILLE_CENTRE,
    PUBLISHED,
    WAZEMMES,
    make_organisation,
    make_place_services,
    make_premises,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Fives Cail (a space, marked totem by the test that needs it) and La Malterie (none)."""
    fives = make_organisation("Fives Cail", kinds=("tiers-lieu",), location=FIVES.clone())
    make_premises("Halle de Fives Cail", kind="espace-tiers-lieu", third_place=fives)
    malterie = make_organisation("La Malterie", kinds=("tiers-lieu",), location=WAZEMMES.clone())
    return fives, malterie


def test_no_place_is_a_totem_until_staff_say_so(places):
    _fives, malterie = places
    make_place_services(malterie, "ateliers")
    assert not Organisation.objects.filter(place_roles__contains=["lieu-totem"]).exists()


def test_staff_mark_a_lieu_totem_and_can_take_the_mark_back(staff_client, places):
    _fives, malterie = places
    url = f"/lieux/{malterie.slug}/offre/"
    page = staff_client.get(url).content.decode()
    assert 'type="checkbox" name="lieu-totem"' in page
    assert "Lieu totem de l&#x27;ESS" in page  # its label

    ateliers = form_data(services=[{"kind": "ateliers"}])
    response = staff_client.post(url, {**ateliers, "lieu-totem": "on"})
    assert response.status_code == 302
    malterie.refresh_from_db()
    assert malterie.is_totem
    assert malterie.place_source == ""  # staff decided: no document to credit
    form = staff_client.get(url).context["totem_form"]
    assert form.initial["totem"] is True  # the box comes back ticked

    staff_client.post(url, form_data(services=[{"kind": "ateliers"}], recorded=1))  # unticked
    malterie.refresh_from_db()
    assert not malterie.is_totem
    assert list(PlaceService.objects.values_list("kind__slug", flat=True)) == ["ateliers"]


def test_the_third_place_list_filters_lieux_totems(staff_client, places):
    _fives, malterie = places
    place_totem_set(organisation=malterie, totem=True)

    everything = staff_client.get("/foncier/tiers-lieux/")
    assert [o.name for o in everything.context["with_spaces"]] == ["Fives Cail"]
    assert [o.name for o in everything.context["to_qualify"]] == ["La Malterie"]
    assert everything.content.decode().count('class="tag tag--totem"') == 1

    totems = staff_client.get("/foncier/tiers-lieux/", {"totem": "on"})
    assert totems.context["with_spaces"] == []
    assert [o.name for o in totems.context["to_qualify"]] == ["La Malterie"]
    body = totems.content.decode()
    assert "Aucun lieu totem n'a encore d'espace qualifié." in body
    assert 'id="id_totem" checked' in body
    assert "Voir tous les tiers-lieux" in body


def test_the_public_api_says_which_third_places_are_totems(client, places):
    fives, _malterie = places
    Premises.objects.update(publication_status=PUBLISHED)
    (feature,) = client.get("/api/v1/premises/").json()["features"]
    assert feature["properties"]["third_place"]["totem"] is False

    make_place_services(fives, "salles", "domiciliation")
    place_totem_set(organisation=fives, totem=True)
    (feature,) = client.get("/api/v1/premises/").json()["features"]
    assert feature["properties"]["third_place"] == {
        "name": "Fives Cail",
        "slug": fives.slug,
        "offers": ["domiciliation", "salles"],  # in the taxonomy's order
        "totem": True,
    }


# --- The public organisation page -----------------------------------------------------------


def test_the_organisation_page_shows_the_services_the_totem_and_the_open_spaces(client, places):
    fives, _malterie = places
    bureaux, _domiciliation = make_place_services(fives, "bureaux", "domiciliation")
    bureaux.details = "Tarifs solidaires pour les structures de l'ESS."
    bureaux.save()
    place_totem_set(organisation=fives, totem=True)
    Premises.objects.filter(name="Halle de Fives Cail").update(
        publication_status=PUBLISHED,
        status=PremisesStatus.SOON_AVAILABLE,
        built_surface_m2=850,
        available_from=datetime.date(2027, 1, 4),
    )
    make_premises(
        "Bureau déjà occupé",
        kind="espace-tiers-lieu",
        third_place=fives,
        publication_status=PUBLISHED,
        status=PremisesStatus.OCCUPIED,
    )
    make_premises("Espace en brouillon", kind="espace-tiers-lieu", third_place=fives)

    body = client.get(f"/organisations/{fives.slug}/").content.decode()

    assert "Ce que propose ce tiers-lieu" in body
    assert "Lieu totem de l'ESS" in body
    assert "Bureau, poste de coworking" in body
    assert "Domiciliation" in body
    assert "Tarifs solidaires pour les structures de l&#x27;ESS." in body
    assert "Halle de Fives Cail" in body
    assert "850 m²" in body
    assert "Bientôt disponible à partir du 4 janvier 2027" in body
    assert "Bureau déjà occupé" not in body
    assert "Espace en brouillon" not in body


def test_a_third_place_without_offer_nor_space_has_no_offer_section(client, places):
    _fives, malterie = places
    body = client.get(f"/organisations/{malterie.slug}/").content.decode()
    assert "Ce que propose ce tiers-lieu" not in body
    assert "Lieu totem" not in body


def test_an_actor_that_is_not_a_third_place_costs_no_query(django_assert_num_queries):
    scop = make_organisation("Une SCOP", kinds=("entreprise-ess",), location=LILLE_CENTRE.clone())
    scop = type(scop).objects.prefetch_related("kinds").get(pk=scop.pk)
    with django_assert_num_queries(0):
        assert third_place_public_get(organisation=scop) is None


def test_the_third_place_page_costs_few_queries_more(client, places, django_assert_max_num_queries):
    fives, _malterie = places
    make_place_services(fives, "salles")
    place_totem_set(organisation=fives, totem=True)
    for index in range(5):
        make_premises(
            f"Salle {index}",
            kind="espace-tiers-lieu",
            third_place=fives,
            publication_status=PUBLISHED,
        )
    # The detail page's bound for an actor (tests/directory/test_organisation_detail.py: 13) plus
    # the services, the spaces it describes and the premises naming it; it does not grow with
    # the number of spaces.
    with django_assert_max_num_queries(16):
        response = client.get(f"/organisations/{fives.slug}/")
    assert response.content.decode().count('<th scope="row">Salle ') == 5


def test_the_public_page_reads_public_fields_of_spaces_only():
    assert set(THIRD_PLACE_SPACE_PUBLIC_FIELDS) - {"third_place_id"} <= set(Premises.PUBLIC_FIELDS)
    assert not set(THIRD_PLACE_SPACE_PUBLIC_FIELDS) & set(Premises.STAFF_ONLY_FIELDS)


def test_a_draft_third_place_shows_nothing(client):
    draft = make_organisation(
        "Lieu en préparation", kinds=("tiers-lieu",), publication_status=DRAFT
    )
    make_place_services(draft, "salles")
    place_totem_set(organisation=draft, totem=True)
    assert client.get(f"/organisations/{draft.slug}/").status_code == 404
