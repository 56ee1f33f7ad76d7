"""Issue 17, "Demander un espace": a project holder asks a place for room; the place handles
it in the same inbox; one no place can serve becomes a premises need for the city services."""

import pytest
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains

from cartography.models import PremisesNeed
from directory.models import Mobilisation, MobilisationKind, OrganisationEditor, PlaceRole
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(world):
    maison = make_organisation(
        "Maison de l'ESS", email="accueil@maison-ess.fr", place_roles=[PlaceRole.TOTEM]
    )
    owner = make_user("maison-ess")
    OrganisationEditor.objects.create(user=owner, organisation=maison)
    maison.owner = owner
    return maison


@pytest.fixture
def space_form(form) -> dict:
    return {
        **form,
        "space_what": "Une salle de réunion pour 12 personnes",
        "space_from": "2027-03-15",
        "space_duration": "une demi-journée par mois",
        "space_people": "12",
        "space_budget": "50",
    }


def _url(place) -> str:
    return f"/organisations/{place.slug}/demander-un-espace/"


def test_a_holder_asks_a_place_for_room(
    client, place, space_form, django_capture_on_commit_callbacks
):
    assertContains(client.get("/lieux/"), _url(place))
    assertContains(client.get(f"/organisations/{place.slug}/"), _url(place))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(place), space_form).status_code == 302
    request = Mobilisation.objects.get()
    assert request.kind == MobilisationKind.SPACE
    assert (request.space_what, request.space_people, request.space_budget) == (
        "Une salle de réunion pour 12 personnes",
        12,
        50,
    )
    assert str(request.space_from) == "2027-03-15"
    assert mail.outbox[0].to == ["accueil@maison-ess.fr", "maison-ess@exemple.fr"]
    owner = Client()
    owner.force_login(place.owner)
    assertContains(owner.get("/compte/demandes/"), "Demande d&#x27;espace")
    assertContains(owner.get(f"/demandes/{request.pk}/"), "une demi-journée par mois")


def test_an_organisation_that_is_no_place_takes_no_space_request(client, world):
    assert client.get(_url(world.member_a)).status_code == 404


def test_a_third_place_by_its_kind_alone_takes_space_requests(client, world, space_form):
    # The ANCT's third places are of kind tiers-lieu without a place role: /lieux/ lists
    # them with "Demander un espace", which must lead to the form, not to a 404.
    cofabrik = make_organisation("La CoFabrik", kinds=("tiers-lieu",), email="bonjour@cofab.fr")
    assertContains(client.get("/lieux/"), _url(cofabrik))
    page = client.get(f"/organisations/{cofabrik.slug}/")
    assertContains(page, _url(cofabrik))
    assertContains(page, "Lieu de l'ESS")
    assert client.post(_url(cofabrik), space_form).status_code == 302
    assert Mobilisation.objects.get().organisation == cofabrik


def test_a_bad_space_request_keeps_what_was_typed(client, place, space_form):
    response = client.post(_url(place), {**space_form, "space_what": "", "space_people": "-3"})
    assertContains(response, "Ce champ est obligatoire.")
    assertContains(response, "une demi-journée par mois")
    assert not Mobilisation.objects.exists()


def test_space_requests_are_rate_limited_with_the_mobilisations(client, place, space_form):
    # One budget per address for both forms: a robot cannot switch to the other one.
    for _index in range(5):
        assert client.post(_url(place), space_form).status_code == 302
    response = client.post(_url(place), space_form)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Cette connexion a envoyé beaucoup de demandes" in page
    assert "une demi-journée par mois" in page  # what was typed stays
    assert client.post(f"/organisations/{place.slug}/mobiliser/", space_form).status_code == 429
    assert Mobilisation.objects.count() == 5
    assert Client(REMOTE_ADDR="192.0.2.44").post(_url(place), space_form).status_code == 302


def test_a_request_no_place_can_serve_becomes_a_premises_need(client, world, place, space_form):
    client.post(_url(place), space_form)
    request = Mobilisation.objects.get()
    owner = Client()
    owner.force_login(place.owner)
    city = Client()
    city.force_login(world.users["ville"])
    assert city.get(f"/demandes/{request.pk}/").status_code == 403
    assert city.post(f"/foncier/demandes-d-espace/{request.pk}/besoin/").status_code == 404
    owner.post(f"/demandes/{request.pk}/ville/")
    page = city.get("/foncier/demandes-d-espace/")
    assertContains(page, "Une salle de réunion pour 12 personnes")
    assertContains(page, "lou@exemple.fr")
    response = city.post(f"/foncier/demandes-d-espace/{request.pk}/besoin/")
    need = PremisesNeed.objects.get()
    assert response["Location"] == f"/foncier/besoins/{need.pk}/"
    assert need.space_request == request
    assert (need.title, need.contact_email) == (
        "Une salle de réunion pour 12 personnes",
        "lou@exemple.fr",
    )
    assert str(need.needed_from) == "2027-03-15"
    assert "Budget : 50 €" in need.description
    assert need.budget_per_month is None  # the request's budget is not a monthly one
    city.post(f"/foncier/demandes-d-espace/{request.pk}/besoin/")
    assert PremisesNeed.objects.count() == 1
    assert city.get(f"/foncier/besoins/{need.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["utilisateur", "editeur A", "moderateur"])
def test_only_the_city_services_see_the_requests_handed_to_them(world, role):
    other = Client()
    other.force_login(world.users[role])
    assert other.get("/foncier/demandes-d-espace/").status_code == 403
