"""A network's rows that give an address but no point are placed by the BAN's bulk CSV
endpoint (file, API, background job); a failing BAN leaves them without a point and says so."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains
from rest_framework.test import APIClient
from werkzeug import Response

from directory.models import GeocodingQuality, Organisation
from directory.services import network_api_token_create
from importers.models import JobStatus, NetworkImportJob
from importers.web.jobs import network_job_run
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

HEADER = "reseau,nom,siret,adresse,code_postal,commune,code_insee,latitude,longitude\n"
PAINLEVE = (3.072722, 50.619712)  # the fake BAN's answer for 235 boulevard Paul Painlevé


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def broken_ban(httpserver, settings) -> None:
    settings.CARTESS_BAN_BASE_URL = httpserver.url_for("/ban")
    httpserver.expect_request("/ban/search/csv/").respond_with_response(
        Response("indisponible", status=503)
    )


def member_file(network) -> bytes:
    slug = network.slug
    return (
        HEADER + f"{slug},Théâtre Ariadne,77500001200010,235 boulevard Paul Painlevé,59000,Lille,"
        "59350,,\n"
        + f"{slug},Atelier placé,77500002900006,3 rue de Douai,59000,Lille,59350,50.63,3.07\n"
        + f"{slug},Quelque part,,rue du Bois,59000,Lille,59350,,\n"
    ).encode()


def upload(client, world, content: bytes):  # noqa: F811
    client.force_login(world.users["editeur A"])
    sent = SimpleUploadedFile("adherents.csv", content, content_type="text/csv")
    return client.post(f"/reseaux/{world.network_a.slug}/import/", {"file": sent})


def test_a_file_row_with_an_address_and_no_point_is_placed_in_one_bulk_request(
    client,
    world,  # noqa: F811
    ban,
):
    preview = upload(client, world, member_file(world.network_a))
    assert preview.status_code == 200
    token = preview.context["preview"].token
    client.post(f"/reseaux/{world.network_a.slug}/import/confirmer/", {"token": token})

    theatre = Organisation.objects.get(siret="77500001200010")
    assert (theatre.location.x, theatre.location.y) == PAINLEVE
    assert theatre.geocoding_quality == GeocodingQuality.HOUSENUMBER
    assert theatre.geocoding_score == pytest.approx(0.96)
    placed = Organisation.objects.get(siret="77500002900006")
    assert (placed.location.x, placed.location.y) == (3.07, 50.63)  # its own point, kept
    unknown = Organisation.objects.get(name="Quelque part")
    assert unknown.location is None  # the BAN only knows the commune: no point invented
    # One bulk request for the preview, one for the confirmation (a dry run keeps nothing,
    # not even the geocoding cache).
    assert len(ban) == 2
    asked = ban[0]["data"]
    assert "Painlevé" in asked
    assert "rue du Bois" in asked
    assert "rue de Douai" not in asked


def test_a_failing_ban_leaves_the_rows_without_a_point_and_the_preview_says_so(
    client,
    world,  # noqa: F811
    broken_ban,
):
    preview = upload(client, world, member_file(world.network_a))
    assertContains(preview, "le géocodeur (BAN) n&#x27;a pas répondu")
    token = preview.context["preview"].token
    applied = client.post(
        f"/reseaux/{world.network_a.slug}/import/confirmer/", {"token": token}, follow=True
    )
    assertContains(applied, "Fichier appliqué : 3 fiches créées")
    assertContains(applied, "2 fiches sont importées sans position sur la carte (lignes 2, 4)")
    theatre = Organisation.objects.get(siret="77500001200010")
    assert theatre.location is None
    assert theatre.street == "235 boulevard Paul Painlevé"
    assert Organisation.objects.get(siret="77500002900006").location is not None


def api(world):  # noqa: F811
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


ROWS = [
    {"nom": "Théâtre Ariadne", "adresse": "235 boulevard Paul Painlevé", "code_insee": "59350"},
    {"nom": "Atelier de Hellemmes", "adresse": "20 rue Roger Salengro", "code_postal": "59260"},
    {"nom": "Café sans adresse", "commune": "Lille"},
]


def test_api_rows_are_placed_and_a_failing_ban_is_reported(world, ban, httpserver):  # noqa: F811
    url = f"/api/v1/networks/{world.network_a.slug}/members/"
    body = api(world).post(url, {"rows": ROWS}, format="json").json()
    assert (body["created"], body["unplaced"]) == (3, [])
    theatre = Organisation.objects.get(name="Théâtre Ariadne")
    assert (theatre.location.x, theatre.location.y) == PAINLEVE
    assert Organisation.objects.get(name="Atelier de Hellemmes").location is not None
    assert len(ban) == 1

    httpserver.clear()  # from now on the BAN answers nothing (500)
    row = {"nom": "Épicerie de Moulins", "adresse": "8 rue d'Arras", "code_insee": "59350"}
    preview = api(world).post(f"{url}?dry_run=1", {"rows": [row]}, format="json").json()
    assert "le géocodeur (BAN) n'a pas répondu" in preview["rows"][0]["not_applied"][0]
    body = api(world).post(url, {"rows": [row]}, format="json").json()
    assert (body["created"], body["unplaced"]) == (1, [1])
    assert Organisation.objects.get(name="Épicerie de Moulins").location is None


def test_the_background_job_places_the_rows_too(world, ban, settings):  # noqa: F811
    settings.CARTESS_JOB_ROWS = 2
    url = f"/api/v1/networks/{world.network_a.slug}/members/"
    accepted = api(world).post(url, {"rows": ROWS}, format="json")
    assert accepted.status_code == 202
    job = NetworkImportJob.objects.get()

    network_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.result["created"], job.result["unplaced"]) == (3, [])
    theatre = Organisation.objects.get(name="Théâtre Ariadne")
    assert (theatre.location.x, theatre.location.y) == PAINLEVE
    assert len(ban) == 1
