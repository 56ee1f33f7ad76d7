"""What a place offers (issue 17): the place itself (its owners), its network's editors and
the city services say its services, with conditions, and its spaces; nobody else; the
organisation page shows them."""

import pytest

from cartography.models import PlaceService, PlaceServiceKind, PlaceSpace
from directory.models import NetworkEditor, NetworkMembership, OrganisationEditor
from directory.places import organisation_place_set
from tests.factories import MOULINS, make_organisation, make_user

pytestmark = pytest.mark.django_db

URL = "/lieux/{slug}/offre/"


def form_data(services=(), spaces=(), recorded=0):
    """The POST of the place's form: `services` and `spaces` as lists of dicts, the first
    `recorded` services being those the form showed as recorded."""
    data = {
        "services-TOTAL_FORMS": str(len(services)),
        "services-INITIAL_FORMS": str(recorded),
        "espaces-TOTAL_FORMS": str(len(spaces)),
        "espaces-INITIAL_FORMS": "0",
    }
    for index, service in enumerate(services):
        row = {"accessibility": "inconnue", **service}
        data.update({f"services-{index}-{key}": value for key, value in row.items()})
    for index, space in enumerate(spaces):
        data.update({f"espaces-{index}-{key}": value for key, value in space.items()})
    return data


@pytest.fixture
def mess():
    place = make_organisation("Maison de l'ESS", location=MOULINS)
    organisation_place_set(organisation=place, roles=["lieu-ressource", "lieu-totem"])
    return place


@pytest.fixture
def owner(mess):
    user = make_user("proprietaire")
    OrganisationEditor.objects.create(user=user, organisation=mess)
    return user


def test_the_taxonomy_is_seeded_by_its_migration():
    assert list(PlaceServiceKind.objects.values_list("slug", flat=True)) == [
        "domiciliation",
        "salles",
        "bureaux",
        "stockage",
        "cuisine",
        "ateliers",
        "evenementiel",
        "accompagnement",
        "materiel",
    ]


def test_the_owner_declares_services_and_spaces_shown_on_the_page(client, mess, owner):
    client.force_login(owner)
    assert client.get(URL.format(slug=mess.slug)).status_code == 200
    data = form_data(
        services=[
            {
                "kind": "salles",
                "audience": "Associations de l'ESS",
                "price": "15 € la demi-journée",
                "on_reservation": "on",
                "accessibility": "accessible",
            },
            {"kind": "domiciliation", "free": "on", "social_lease": "on"},
        ],
        spaces=[
            {
                "name": "Salle Nelson",
                "surface_m2": "40",
                "capacity": "20",
                "availability": "En semaine, 9 h - 18 h",
            }
        ],
    )
    response = client.post(URL.format(slug=mess.slug), data)
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{mess.slug}/"
    salles = PlaceService.objects.get(organisation=mess, kind__slug="salles")
    assert salles.price == "15 € la demi-journée"
    assert salles.on_reservation
    assert PlaceSpace.objects.get(organisation=mess).capacity == 20
    body = client.get(f"/organisations/{mess.slug}/").content.decode()
    assert "Salle de réunion ou d&#x27;activité" in body
    assert "Tarif : 15 € la demi-journée" in body
    assert "Sur réservation" in body
    assert "Accessible en fauteuil roulant" in body
    assert "Gratuit" in body
    assert "Accepte le bail commercial d'utilité sociale" in body
    assert '<th scope="row">Salle Nelson</th>' in body
    assert "20 personnes" in body


def test_saving_again_replaces_and_deletes_rows(client, mess, owner):
    client.force_login(owner)
    client.post(
        URL.format(slug=mess.slug), form_data(services=[{"kind": "salles"}, {"kind": "cuisine"}])
    )
    data = form_data(services=[{"kind": "salles"}, {"kind": "cuisine", "DELETE": "on"}], recorded=2)
    assert client.post(URL.format(slug=mess.slug), data).status_code == 302
    assert list(mess.place_services.values_list("kind__slug", flat=True)) == ["salles"]
    page = client.get(URL.format(slug=mess.slug)).content.decode()
    assert 'value="salles" selected' in page  # the form shows what is recorded


def test_errors_are_in_french_and_keep_what_was_typed(client, mess, owner):
    client.force_login(owner)
    data = form_data(
        services=[
            {"kind": "salles", "free": "on", "price": "10 €", "audience": "Porteurs de projet"},
            {"kind": "salles"},
        ],
        spaces=[{"name": "", "surface_m2": "quarante", "availability": "Le soir"}],
    )
    response = client.post(URL.format(slug=mess.slug), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Un service gratuit n&#x27;a pas de tarif" in body
    assert "Donnez un nom à l&#x27;espace" in body
    assert "Saisissez la surface en mètres carrés" in body
    assert 'value="Porteurs de projet"' in body
    assert 'value="Le soir"' in body
    assert not PlaceService.objects.exists()


def test_the_same_service_twice_is_refused(client, mess, owner):
    client.force_login(owner)
    data = form_data(services=[{"kind": "salles"}, {"kind": "salles", "price": "5 €"}])
    response = client.post(URL.format(slug=mess.slug), data)
    assert response.status_code == 400
    assert "figure deux fois" in response.content.decode()
    assert not PlaceService.objects.exists()


def test_the_network_editor_and_city_staff_may_edit_others_may_not(client, mess, owner):
    network = make_organisation("APES", kinds=("reseau",))
    NetworkMembership.objects.create(network=network, member=mess)
    editor = make_user("editrice")
    NetworkEditor.objects.create(user=editor, network=network)
    other_place = make_organisation("Autre lieu")
    organisation_place_set(organisation=other_place, roles=["tiers-lieu"])
    stranger = make_user("passant")
    city = make_user("agent", groups=("Services de la Ville",))
    for user, status in ((editor, 200), (city, 200), (stranger, 403)):
        client.force_login(user)
        assert client.get(URL.format(slug=mess.slug)).status_code == status
    client.force_login(owner)  # a place edits only its own offer
    post = client.post(URL.format(slug=other_place.slug), form_data(services=[{"kind": "salles"}]))
    assert post.status_code == 403
    assert not PlaceService.objects.exists()
    client.logout()
    assert client.get(URL.format(slug=mess.slug)).status_code == 302  # to the login page


def test_an_organisation_that_is_no_place_has_no_offer_form(client):
    scop = make_organisation("Scop du Coin")
    client.force_login(make_user("agent", groups=("Services de la Ville",)))
    assert client.get(URL.format(slug=scop.slug)).status_code == 404
