"""The owner of a listing (an accepted claim) edits every field a person may know: name,
kinds, SIRET, address and point on a map, contacts, description, closure; only what they
change is written, and the page credits "la structure"."""

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from directory.forms import ListingForm
from directory.models import GeocodingQuality, Organisation, OrganisationEditor
from tests.factories import FIVES, make_organisation, make_user

pytestmark = pytest.mark.django_db

SIRET = "77567122500016"
LILLE_BBOX = "2.95,50.58,3.15,50.68"


@pytest.fixture
def owner(world):
    user = world.users["utilisateur"]
    OrganisationEditor.objects.create(user=user, organisation=world.member_a)
    return user


def edit_url(organisation) -> str:
    return f"/organisations/{organisation.slug}/modifier/"


def form_as_sent(organisation, **changes) -> dict:
    """What the browser sends: every field with its hidden starting value, `changes` typed."""
    form = ListingForm(initial=ListingForm.initial_for(organisation))
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name in ("kinds", "sectors"):
            value = list(value or [])
        elif value is None:
            value = ""
        data[name] = value
        data[f"initial-{name}"] = (
            field.widget.format_value(value) if name not in ("kinds", "sectors") else value
        )
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_owner_moves_the_point_by_typing_coordinates(client, owner, world):
    client.force_login(owner)
    form = client.get(edit_url(world.member_a))
    assertContains(form, 'id="listing-map"')
    assertContains(form, 'src="/static/js/listing-map.js"')
    assertContains(form, 'value="50.633"')
    # Each field's starting value travels with the form: only what the person changes counts.
    assertContains(form, '<input type="hidden" name="initial-latitude" value="50.633"', html=False)
    assertContains(form, '<input type="hidden" name="initial-kinds" value="entreprise-ess"')

    data = form_as_sent(world.member_a, latitude="50.63412", longitude="3.08901")
    response = client.post(edit_url(world.member_a), data)
    assertRedirects(
        response, f"/organisations/{world.member_a.slug}/", fetch_redirect_response=False
    )

    member = Organisation.objects.get(pk=world.member_a.pk)
    assert (round(member.location.y, 5), round(member.location.x, 5)) == (50.63412, 3.08901)
    assert member.geocoding_quality == GeocodingQuality.MANUAL
    last = member.history.first()
    assert (last.history_user, last.history_change_reason) == (owner, "édition structure")
    page = client.get(f"/organisations/{world.member_a.slug}/")
    today = timezone.localdate()
    assertContains(page, f"Saisi par la structure, le {today.day}")
    assertContains(page, "Placé à la main")


def test_the_owner_renames_retypes_and_gives_the_siret(client, owner, world):
    client.force_login(owner)
    data = form_as_sent(
        world.member_a,
        name="Jardins de Fives (chantier d'insertion)",
        kinds=["entreprise-ess", "tiers-lieu"],
        siret="775 671 225 00016",
    )
    client.post(edit_url(world.member_a), data)
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.name == "Jardins de Fives (chantier d'insertion)"
    assert sorted(member.kinds.values_list("slug", flat=True)) == ["entreprise-ess", "tiers-lieu"]
    assert (member.siret, member.siren) == (SIRET, "775671225")


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"siret": "77567122500017"}, "sa clé de contrôle est fausse"),
        ({"siret": "1234"}, "Un SIRET compte 14 chiffres."),
        ({"name": ""}, "Une fiche a toujours un nom."),
        ({"kinds": []}, "Cochez au moins un type d&#x27;acteur."),
        ({"latitude": "50.634", "longitude": ""}, "Indiquez la latitude et la longitude"),
        ({"latitude": "91", "longitude": "3.08"}, "inférieure ou égale à 90"),
    ],
)
def test_a_bad_value_is_explained_in_french_and_kept(client, owner, world, changes, error):
    client.force_login(owner)
    data = form_as_sent(world.member_a, description="Nouveau texte tapé.", **changes)
    response = client.post(edit_url(world.member_a), data)
    assertContains(response, error)
    assertContains(response, "Nouveau texte tapé.")
    assert Organisation.objects.get(pk=world.member_a.pk).description == "Maraîchage en insertion."


def test_a_siret_another_listing_has_is_refused(client, owner, world):
    make_organisation("Autre structure", siret=SIRET)
    client.force_login(owner)
    response = client.post(edit_url(world.member_a), form_as_sent(world.member_a, siret=SIRET))
    assertContains(response, "Une autre fiche a déjà ce SIRET.")
    assertContains(response, f'value="{SIRET}"')


def test_only_what_the_person_changed_is_written(client, owner, world):
    client.force_login(owner)
    data = form_as_sent(world.member_a, phone="03 20 12 34 56")
    # Meanwhile the network corrects the description; the owner's form still holds the old one.
    Organisation.objects.filter(pk=world.member_a.pk).update(
        description="Texte corrigé par le réseau.", website="https://jardins.example.org"
    )
    client.post(edit_url(world.member_a), data)
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.phone == "03 20 12 34 56"
    assert member.description == "Texte corrigé par le réseau."
    assert member.website == "https://jardins.example.org"
    assert member.location.equals_exact(FIVES, tolerance=1e-9)


def test_a_partial_form_blanks_nothing(client, owner, world):
    client.force_login(owner)
    client.post(edit_url(world.member_a), {"city": "Lille-Fives"})
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.city == "Lille-Fives"
    assert member.description == "Maraîchage en insertion."
    assert member.name == "Les Jardins de Fives"
    assert list(member.kinds.values_list("slug", flat=True)) == ["entreprise-ess"]
    assert member.location is not None


def test_emptying_both_coordinates_takes_the_listing_off_the_map(client, owner, world):
    client.force_login(owner)
    client.post(edit_url(world.member_a), form_as_sent(world.member_a, latitude="", longitude=""))
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert (member.location, member.geocoding_quality) == (None, "")


@pytest.mark.parametrize("role", ["utilisateur", "editeur B", "ville"])
def test_a_stranger_gets_403(client, world, role):
    client.force_login(world.users[role])
    assert client.get(edit_url(world.member_a)).status_code == 403
    data = form_as_sent(world.member_a, name="Pris par un autre")
    assert client.post(edit_url(world.member_a), data).status_code == 403
    assert Organisation.objects.get(pk=world.member_a.pk).name == "Les Jardins de Fives"


def test_another_owner_s_listing_is_refused(client, owner, world):
    client.force_login(owner)
    assert client.get(edit_url(world.member_b)).status_code == 403


def test_a_closed_listing_keeps_its_page_but_leaves_the_map_and_the_directory(client, owner, world):
    client.force_login(owner)
    client.post(edit_url(world.member_a), form_as_sent(world.member_a, closed_on="2026-06-30"))
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.closed_on.isoformat() == "2026-06-30"

    page = client.get(f"/organisations/{member.slug}/")
    assertContains(page, "Cette structure a fermé le 30 juin 2026.")
    features = client.get("/api/v1/organisations/", {"bbox": LILLE_BBOX}).json()["features"]
    assert [f["properties"]["name"] for f in features] == [world.member_b.name]
    assertNotContains(client.get("/annuaire/"), member.name)


def test_an_editor_of_its_network_still_edits_and_is_credited_as_the_network(client, world):
    client.force_login(world.users["editeur A"])
    client.post(edit_url(world.member_a), form_as_sent(world.member_a, name="Jardins de Fives"))
    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.history.first().history_change_reason == "édition réseau"


def test_the_owner_asks_for_removal_and_a_moderator_archives_the_listing(client, owner, world):
    client.force_login(owner)
    assertContains(
        client.get(edit_url(world.member_a)), f"/organisations/{world.member_a.slug}/retrait/"
    )
    url = f"/organisations/{world.member_a.slug}/retrait/"
    assertContains(client.post(url, {"reason": ""}), "Ce champ est obligatoire", status_code=400)
    client.post(url, {"reason": "L'association ne relève pas de l'ESS."})
    assertContains(client.get(url), "attend la décision")

    moderator = world.users["moderateur"]
    client.force_login(moderator)
    queue = client.get("/moderation/retraits/")
    assertContains(queue, "L&#x27;association ne relève pas de l&#x27;ESS.")
    removal = queue.context["removals"][0]
    client.post(f"/moderation/retraits/{removal.pk}/accepter/")

    member = Organisation.objects.get(pk=world.member_a.pk)
    assert member.publication_status == "archive"
    assert member.history.first().history_change_reason == "retrait demandé par la structure"
    assert client.get(f"/organisations/{member.slug}/").status_code == 404
    assert mail.outbox[-1].to == [owner.email]
    assert "est retirée de Cartess" in mail.outbox[-1].body


def test_a_refused_removal_needs_a_reason_and_keeps_the_listing(client, owner, world):
    client.force_login(owner)
    client.post(f"/organisations/{world.member_a.slug}/retrait/", {"reason": "Plus d'activité."})
    client.force_login(world.users["moderateur"])
    removal = client.get("/moderation/retraits/").context["removals"][0]
    url = f"/moderation/retraits/{removal.pk}/refuser/"
    assertContains(client.post(url, {"note": ""}), "Ce champ est obligatoire", status_code=400)
    client.post(url, {"note": "Indiquez plutôt la date de fermeture."})
    assert Organisation.objects.get(pk=world.member_a.pk).publication_status == "publie"
    assert "Indiquez plutôt la date de fermeture." in mail.outbox[-1].body


@pytest.mark.parametrize("role", ["utilisateur", "editeur A"])
def test_only_moderators_decide_removals(client, world, role):
    client.force_login(world.users[role])
    assert client.get("/moderation/retraits/").status_code == 403


def test_the_removal_queue_reads_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for number in range(5):
        listing = make_organisation(f"Structure {number}")
        person = make_user(f"responsable-{number}")
        OrganisationEditor.objects.create(user=person, organisation=listing)
        client.force_login(person)
        client.post(f"/organisations/{listing.slug}/retrait/", {"reason": "Fermée."})
    client.force_login(world.users["moderateur"])
    with django_assert_max_num_queries(8):
        response = client.get("/moderation/retraits/")
    assert len(response.context["removals"]) == 5
