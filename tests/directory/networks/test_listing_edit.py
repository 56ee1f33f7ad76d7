"""A network editor corrects their members' listings, and only those."""

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from directory.models import Organisation, Sector

pytestmark = pytest.mark.django_db

NEW_VALUES = {
    "description": "Maraîchage biologique et chantier d'insertion à Fives.",
    "street": "12 rue Pierre Legrand",
    "address_complement": "",
    "postcode": "59800",
    "city": "Lille",
    "website": "https://jardins-de-fives.example.org",
    "email": "contact@jardins-de-fives.example.org",
    "phone": "03 20 00 00 00",
    "sectors": ["alimentation-durable"],
}


def edit_url(organisation: Organisation) -> str:
    return f"/organisations/{organisation.slug}/modifier/"


def test_the_editor_corrects_a_member_and_the_listing_shows_it_updated(client, world):
    Sector.objects.get_or_create(
        slug="alimentation-durable", defaults={"name": "Alimentation durable"}
    )
    client.force_login(world.users["editeur A"])
    form = client.get(edit_url(world.member_a))
    assertContains(form, "Maraîchage en insertion.")
    response = client.post(edit_url(world.member_a), NEW_VALUES, follow=True)
    assertRedirects(response, f"/organisations/{world.member_a.slug}/")
    today = timezone.localdate().strftime("%d").lstrip("0")
    assertContains(response, "La fiche est enregistrée.")
    assertContains(response, f"Fiche modifiée par une personne le {today}")
    assertContains(response, "12 rue Pierre Legrand")
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.last_verified_on is None  # only a confirmation sets "Vérifié le"
    assert list(member.sectors.values_list("slug", flat=True)) == ["alimentation-durable"]


def test_a_bad_value_is_explained_and_nothing_is_written(client, world):
    client.force_login(world.users["editeur A"])
    response = client.post(edit_url(world.member_a), {**NEW_VALUES, "postcode": "59 8"})
    assertContains(response, "Un code postal compte 5 chiffres.")
    assert Organisation.objects.get(pk=world.member_a.pk).street == ""


def test_the_editor_of_another_network_is_refused(client, world):
    client.force_login(world.users["editeur B"])
    assert client.get(edit_url(world.member_a)).status_code == 403
    assert client.post(edit_url(world.member_a), NEW_VALUES).status_code == 403
    assert client.get(edit_url(world.network_a)).status_code == 403
    assert Organisation.objects.get(pk=world.member_a.pk).street == ""


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(edit_url(world.member_a))
    assertRedirects(response, f"/compte/connexion/?next={edit_url(world.member_a)}")


def test_the_edit_button_shows_on_the_listing_for_its_editors_only(client, world):
    client.force_login(world.users["editeur A"])
    assertContains(client.get(f"/organisations/{world.member_a.slug}/"), "Modifier la fiche")
    client.force_login(world.users["editeur B"])
    response = client.get(f"/organisations/{world.member_a.slug}/")
    assert "Modifier la fiche" not in response.content.decode()


def test_the_form_refuses_a_post_without_its_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["editeur A"])
    assert client.post(edit_url(world.member_a), NEW_VALUES).status_code == 403


def test_a_word_an_editor_adds_is_found_even_misspelt(
    client, world, django_capture_on_commit_callbacks
):
    Sector.objects.get_or_create(
        slug="alimentation-durable", defaults={"name": "Alimentation durable"}
    )
    client.force_login(world.users["editeur A"])
    values = {**NEW_VALUES, "description": "Permaculture et chantier d'insertion à Fives."}
    # The edit's words join the typo dictionary once it is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(world.member_a), values)

    found = client.get("/annuaire/", {"q": "permacultrue"})

    names = [organisation.name for organisation in found.context["result"].organisations]
    assert world.member_a.name in names


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("email", "jeanne.dupont@gmail.com", "semble être celle d&#x27;une personne"),
        ("phone", "06 12 34 56 78", "Numéro de mobile"),
    ],
)
def test_a_person_s_contact_is_refused_with_the_reason_and_kept_in_the_form(
    client, world, field, typed, error
):
    client.force_login(world.users["editeur A"])
    url = f"/organisations/{world.member_a.slug}/modifier/"
    response = client.post(url, {"street": "12 rue de Lannoy", field: typed})
    assertContains(response, error)
    assertContains(response, f'value="{typed}"')
    world.member_a.refresh_from_db()
    assert getattr(world.member_a, field) == ""


def test_a_structure_s_contacts_are_published_in_the_french_way(client, world):
    client.force_login(world.users["editeur A"])
    url = f"/organisations/{world.member_a.slug}/modifier/"
    client.post(url, {"email": "Contact@JardinsDeFives.fr", "phone": "+33 3 20 12 34 56"})
    world.member_a.refresh_from_db()
    assert (world.member_a.email, world.member_a.phone) == (
        "contact@jardinsdefives.fr",
        "03 20 12 34 56",
    )
