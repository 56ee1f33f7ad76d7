"""Issue 13: a network's file or API rows change only what they send, the preview says what
changes and what is not applied, and the template's example row is never imported."""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains, assertNotContains
from rest_framework.test import APIClient

from directory.models import Organisation
from directory.services import network_api_token_create
from importers.engine.services import source_import
from importers.sources.network_csv import raw_rows
from importers.web import uploads

pytestmark = pytest.mark.django_db

SIRET_A = "50100001200010"  # Les Jardins de Fives, member of network A
LISTING = {
    "website": "https://jardins.example.org",
    "email": "contact@jardins.example.org",
    "description": "Un jardin partagé.",
    "street": "12 rue Pierre Legrand",
    "phone": "03 20 00 00 01",
    "location": Point(3.07, 50.62, srid=4326),
    "geocoding_quality": "source",
}
#: The member as the network sent it last time (its values are the network's to update).
FULL_ROW = {
    "nom": "Les Jardins de Fives",
    "siret": SIRET_A,
    "site_web": LISTING["website"],
    "courriel": LISTING["email"],
    "description": LISTING["description"],
    "adresse": LISTING["street"],
    "telephone": LISTING["phone"],
    "latitude": "50.62",
    "longitude": "3.07",
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "UPLOAD_ROOT", tmp_path / "uploads")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def members(world):
    blank = dict.fromkeys(LISTING, "") | {"location": None, "geocoding_score": None}
    Organisation.objects.filter(pk=world.member_a.pk).update(
        siret=SIRET_A, siren=SIRET_A[:9], **blank
    )
    row = FULL_ROW | {"reseau": world.network_a.slug}
    report = source_import(slug="network-csv", rows=raw_rows([row]), scope=world.network_a)
    assert report.updated == 1
    return world


def kept_listing(member: Organisation) -> dict:
    member.refresh_from_db()
    return {name: getattr(member, name) for name in LISTING if name != "phone"}


def expected(**changes) -> dict:
    return {name: value for name, value in LISTING.items() if name != "phone"} | changes


def preview(client, world, content: str):
    client.force_login(world.users["editeur A"])
    upload = SimpleUploadedFile("adherents.csv", content.encode(), content_type="text/csv")
    return client.post(f"/reseaux/{world.network_a.slug}/import/", {"file": upload})


def confirm(client, world, response):
    token = response.context["preview"].token
    return client.post(f"/reseaux/{world.network_a.slug}/import/confirmer/", {"token": token})


def partial_file(world, phone: str = "03 20 00 00 02") -> str:
    row = f"{world.network_a.slug};Les Jardins de Fives;{SIRET_A};{phone}"
    return f"reseau;nom;siret;telephone\n{row}\n"


# The upload screen -------------------------------------------------------------------------


def test_a_partial_file_previews_and_applies_only_the_phone(client, members):
    response = preview(client, members, partial_file(members))
    (row,) = response.context["preview"].rows
    assert row.status == "changed"
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("téléphone", "03 20 00 00 01", "03 20 00 00 02")
    ]
    assertNotContains(response, "→ (vide)")
    confirm(client, members, response)
    assert kept_listing(members.member_a) == expected()
    assert members.member_a.phone == "03 20 00 00 02"


def test_the_preview_shows_a_cleared_field_and_what_is_not_applied(client, members):
    slug = members.network_a.slug
    content = (
        "reseau;nom;siret;site_web;courriel\n"
        f"{slug};Les Jardins de Fives;{SIRET_A};(effacer);jeanne.dupont@gmail.com\n"
    )
    response = preview(client, members, content)
    (row,) = response.context["preview"].rows
    assert [(c.label, c.new) for c in row.changes] == [("site web", "(effacé)")]
    assert row.not_applied == ("e-mail personnel ou illisible : non publié",)
    assertContains(response, "site web : https://jardins.example.org → (effacé)")
    assertContains(response, "e-mail personnel ou illisible : non publié")
    assert "jeanne.dupont" not in response.content.decode()
    confirm(client, members, response)
    assert kept_listing(members.member_a) == expected(website="")


def test_a_persons_correction_is_shown_as_kept(client, members):
    Organisation.objects.filter(pk=members.member_a.pk).update(phone="03 20 99 99 99")
    response = preview(client, members, partial_file(members, phone="03 20 00 00 03"))
    (row,) = response.context["preview"].rows
    assert (row.status, row.changes) == ("unchanged", [])
    assert row.not_applied == (
        "téléphone : la valeur de Cartess est conservée (corrigée par une personne ou "
        "venue d'une autre source)",
    )


def test_the_template_uploaded_unchanged_imports_nothing(client, members):
    client.force_login(members.users["editeur A"])
    template = client.get(f"/reseaux/{members.network_a.slug}/import/modele.csv")
    before = Organisation.objects.count()
    response = preview(client, members, template.content.decode())
    (row,) = response.context["preview"].rows
    assert row.status == "rejected"
    assert row.reason.startswith("Ligne d'exemple du modèle : remplacez-la par vos adhérents")
    assert not response.context["preview"].applicable
    assertNotContains(response, "Confirmer et appliquer le fichier")
    assert Organisation.objects.count() == before


# The members API ---------------------------------------------------------------------------


def push(world, rows: list[dict], *, dry_run=False):
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    query = "?dry_run=1" if dry_run else ""
    url = f"/api/v1/networks/{world.network_a.slug}/members/{query}"
    return client.post(url, {"rows": rows}, format="json")


def test_an_api_row_with_a_few_keys_changes_only_those(members):
    row = {"nom": "Les Jardins de Fives", "siret": SIRET_A, "telephone": "03 20 00 00 02"}
    (previewed,) = push(members, [row], dry_run=True).json()["rows"]
    assert previewed["changes"] == [
        {"field": "téléphone", "old": "03 20 00 00 01", "new": "03 20 00 00 02"}
    ]
    assert push(members, [row | {"adresse": "", "courriel": ""}]).json()["updated"] == 1
    assert kept_listing(members.member_a) == expected()
    assert members.member_a.phone == "03 20 00 00 02"


def test_the_api_clear_list_empties_the_named_fields(members):
    row = {"nom": "Les Jardins de Fives", "siret": SIRET_A, "clear": ["site_web", "latitude"]}
    (previewed,) = push(members, [row], dry_run=True).json()["rows"]
    assert {"field": "site web", "old": "https://jardins.example.org", "new": "(effacé)"} in (
        previewed["changes"]
    )
    assert push(members, [row]).json()["updated"] == 1
    assert kept_listing(members.member_a) == expected(
        website="", location=None, geocoding_quality=""
    )


def test_the_api_refuses_a_column_both_given_and_cleared_or_not_clearable(members):
    row = {"nom": "Les Jardins de Fives", "site_web": "https://x.example.org"}
    assert push(members, [row | {"clear": ["site_web"]}]).status_code == 400
    assert push(members, [row | {"clear": ["siret"]}]).status_code == 400
    assert kept_listing(members.member_a) == expected()


def test_the_api_refuses_the_templates_example_row(members):
    row = {"nom": "Exemple de structure adhérente", "commune": "Lille"}
    body = push(members, [row]).json()
    assert (body["created"], body["rejected"]) == (0, 1)
    assert "Ligne d'exemple du modèle" in body["rejections"][0]["reason"]
