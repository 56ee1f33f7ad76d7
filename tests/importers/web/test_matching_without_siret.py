"""Issue 13: a network's row without SIRET or RNA that looks like a listing at the same place
is held "à confirmer" (never a silent duplicate); the editor answers in the preview, in the
file's `meme_que` column or the API's `"meme_que"`."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains
from rest_framework.test import APIClient

from directory.models import NetworkMembershipRequest, Organisation
from directory.selectors.likeness import organisation_likeness_get
from directory.services import network_api_token_create
from importers.engine.services import source_import
from importers.sources.network_csv import raw_rows
from importers.web import uploads
from tests.factories import FIVES, MOULINS, make_organisation, north_of

pytestmark = pytest.mark.django_db

HEADER = "reseau;nom;adresse;code_postal;commune;latitude;longitude;telephone\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "UPLOAD_ROOT", tmp_path / "uploads")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coroutine(world):
    """ "La Coroutine", a member of network A with no SIRET, at Fives."""
    listing = make_organisation("La Coroutine", location=FIVES.clone(), street="12 rue de Fives")
    world.network_a.members.add(listing)
    return listing


def run(world, rows: list[dict]):
    rows = [{"reseau": world.network_a.slug} | row for row in rows]
    return source_import(slug="network-csv", rows=raw_rows(rows), scope=world.network_a)


def near(metres: float) -> dict:
    point = north_of(FIVES, metres)
    return {"latitude": str(point.y), "longitude": str(point.x)}


# The likeness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "sent"),
    [
        ("La Coroutine", "Coroutine (La)"),
        ("Les Jardins de Fives", "Association Les Jardins de Fives"),
        ("Café citoyen Lille", "CAFE CITOYEN - LILLE"),
    ],
)
def test_a_close_name_at_the_same_place_is_proposed(db, existing, sent):
    listing = make_organisation(existing, location=FIVES)

    likeness = organisation_likeness_get(name=sent, location=north_of(FIVES, 60))

    assert likeness.organisation == listing
    assert 50 <= likeness.percent <= 100
    assert 55 < likeness.distance_m < 65


def test_far_away_or_another_name_is_not_proposed(db):
    make_organisation("La Coroutine", location=FIVES)
    make_organisation("Maison de l'ESS", location=MOULINS)

    assert organisation_likeness_get(name="Coroutine (La)", location=north_of(FIVES, 400)) is None
    assert organisation_likeness_get(name="Maison de la Nature", location=MOULINS) is None


def test_without_points_the_same_commune_decides(db):
    listing = make_organisation("Les Jardins de Fives", postcode="59800", city="Lille")

    found = organisation_likeness_get(
        name="Association Les Jardins de Fives", postcode="59800", city="LILLE"
    )
    assert found.organisation == listing
    assert found.distance_m is None
    assert organisation_likeness_get(name="Les Jardins de Fives", city="Roubaix") is None


# The network import ------------------------------------------------------------------------


def test_a_likely_listing_holds_the_row_and_creates_nothing(world, coroutine):
    before = Organisation.objects.count()

    report = run(world, [{"nom": "Coroutine (La)", "telephone": "03 20 11 22 33"} | near(30)])

    assert report.created == 0
    (rejection,) = report.rejections
    assert rejection.reason.startswith(
        f"À confirmer : même structure que « La Coroutine » (fiche #{coroutine.pk}) ? "
        "(ressemblance 100 %)"
    )
    assert Organisation.objects.count() == before
    coroutine.refresh_from_db()
    assert coroutine.phone == ""


def test_meme_que_confirms_the_match_and_updates_the_member(world, coroutine):
    row = {"nom": "Coroutine (La)", "telephone": "03 20 11 22 33", "meme_que": str(coroutine.pk)}

    report = run(world, [row | near(30)])

    assert (report.created, report.updated, report.rejected) == (0, 1, 0)
    coroutine.refresh_from_db()
    assert coroutine.phone == "03 20 11 22 33"
    assert coroutine.name == "La Coroutine"  # the listing's name, a person's, is kept
    # The next file is matched by its provenance: no question again.
    assert run(world, [row | near(30) | {"meme_que": ""}]).rejected == 0


def test_nouvelle_creates_another_listing(world, coroutine):
    report = run(world, [{"nom": "Coroutine (La)", "meme_que": "nouvelle"} | near(30)])

    assert report.created == 1
    assert Organisation.objects.filter(name="Coroutine (La)").exists()


def test_a_row_unlike_any_listing_is_created_without_question(world, coroutine):
    report = run(world, [{"nom": "Recyclerie de Fives"} | near(30)])

    assert (report.created, report.rejected) == (1, 0)


def test_a_confirmed_listing_outside_the_network_goes_through_a_membership_request(world):
    outsider = make_organisation("Atelier Vélo de Fives", location=FIVES.clone())
    row = {"nom": "L'atelier vélo de Fives", "telephone": "03 20 11 22 33"} | near(20)

    assert "À confirmer" in run(world, [row]).rejections[0].reason
    report = run(world, [row | {"meme_que": str(outsider.pk)}])

    assert "hors de votre réseau" in report.rejections[0].reason
    assert NetworkMembershipRequest.objects.get().member == outsider
    outsider.refresh_from_db()
    assert outsider.phone == ""


def test_an_unknown_listing_number_is_refused(world, coroutine):
    report = run(world, [{"nom": "Coroutine (La)", "meme_que": "999999"}])
    assert "aucune fiche n° 999999" in report.rejections[0].reason
    report = run(world, [{"nom": "Coroutine (La)", "meme_que": "peut-être"}])
    assert "meme_que" in report.rejections[0].reason


# The preview and the API -------------------------------------------------------------------


def test_the_editor_confirms_in_the_preview(client, world, coroutine):
    point = north_of(FIVES, 30)
    content = (
        HEADER
        + f"{world.network_a.slug};Coroutine (La);;59000;Lille;{point.y};{point.x};03 20 11 22 33\n"
    )
    client.force_login(world.users["editeur A"])
    page = client.post(
        f"/reseaux/{world.network_a.slug}/import/",
        {"file": SimpleUploadedFile("adherents.csv", content.encode(), content_type="text/csv")},
    )
    assertContains(page, "même structure que « La Coroutine »")
    assertContains(page, "ressemblance 100 %")
    assertContains(page, f'<option value="{coroutine.pk}">')
    assertContains(page, 'form="confirmer-fichier"')

    client.post(
        f"/reseaux/{world.network_a.slug}/import/confirmer/",
        {"token": page.context["preview"].token, "meme_que_2": str(coroutine.pk)},
    )

    coroutine.refresh_from_db()
    assert coroutine.phone == "03 20 11 22 33"
    assert not Organisation.objects.filter(name="Coroutine (La)").exists()


def test_the_api_holds_the_row_until_meme_que(world, coroutine):
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/networks/{world.network_a.slug}/members/"
    row = {"nom": "Coroutine (La)", "telephone": "03 20 11 22 33"} | near(30)

    held = api.post(url, {"rows": [row]}, format="json").json()
    assert held["created"] == 0
    assert "À confirmer" in str(held)

    done = api.post(url, {"rows": [row | {"meme_que": str(coroutine.pk)}]}, format="json").json()
    assert done["updated"] == 1
    coroutine.refresh_from_db()
    assert coroutine.phone == "03 20 11 22 33"
