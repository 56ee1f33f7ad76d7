"""Honest credit on the map (issue 13): a listing last corrected by hand says so on its map
feature and in the GeoJSON export ("mis à jour par la structure / le réseau APES / l'équipe
Cartess le <date>"); an import afterwards keeps its own credit in `sources` and does not take
the person's."""

import importlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from pytest_django.asserts import assertContains
from rest_framework.test import APIClient

from directory.models import (
    EditedBy,
    NetworkMembership,
    Organisation,
    OrganisationEditor,
    Suggestion,
)
from directory.services import network_api_token_create
from importers.engine.base import RawRow
from importers.engine.services import source_import
from importers.web import uploads
from importers.web.uploads import network_rows_apply
from tests.directory.contributions.test_owner_listing import form_as_sent
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"
LILLE_BBOX = "2.95,50.58,3.15,50.68"
SIRET_A = "50100001200010"
SIRET_B = "77567122500016"


def edited_on_map(client, organisation: Organisation, url: str = URL, **query) -> dict | None:
    response = client.get(url, {"bbox": LILLE_BBOX, **query})
    assert response.status_code == 200
    features = {f["properties"]["slug"]: f["properties"] for f in response.json()["features"]}
    return features[organisation.slug]["edited"]


def today() -> str:
    return timezone.localdate().isoformat()


def test_a_listing_nobody_corrected_credits_only_its_sources(client, world):
    assert edited_on_map(client, world.member_a) is None


def test_the_owners_edit_is_credited_to_the_structure(client, world):
    owner = world.users["utilisateur"]
    OrganisationEditor.objects.create(user=owner, organisation=world.member_a)
    client.force_login(owner)
    data = form_as_sent(world.member_a, phone="03 20 12 34 56")
    response = client.post(f"/organisations/{world.member_a.slug}/modifier/", data)
    assert response.status_code == 302
    client.logout()

    edited = edited_on_map(client, world.member_a)

    assert edited == {"by": "owner", "network": None, "on": today()}


def test_a_network_editors_correction_names_the_network(client, world):
    client.force_login(world.users["editeur A"])
    data = form_as_sent(world.member_a, phone="03 20 12 34 56")
    client.post(f"/organisations/{world.member_a.slug}/modifier/", data)

    edited = edited_on_map(client, world.member_a)

    assert edited == {"by": "network", "network": "APES", "on": today()}  # its acronym


def test_a_networks_csv_rows_are_credited_to_the_network(client, world):
    Organisation.objects.filter(pk=world.member_a.pk).update(siret=SIRET_A, siren=SIRET_A[:9])
    row = {"reseau": world.network_a.slug, "nom": world.member_a.name, "siret": SIRET_A}
    report = network_rows_apply(network=world.network_a, rows=[row | {"telephone": "0320000001"}])
    assert report.updated == 1

    assert edited_on_map(client, world.member_a)["network"] == "APES"
    # Its neighbour, not sent, credits nobody.
    assert edited_on_map(client, world.member_b) is None


def test_a_networks_uploaded_file_and_api_rows_are_credited_to_the_network(
    client, world, tmp_path, monkeypatch
):
    monkeypatch.setattr(uploads, "UPLOAD_ROOT", tmp_path / "uploads")
    for member, siret in ((world.member_a, SIRET_A), (world.member_b, SIRET_B)):
        Organisation.objects.filter(pk=member.pk).update(siret=siret, siren=siret[:9])
    NetworkMembership.objects.create(network=world.network_a, member=world.member_b)
    slug = world.network_a.slug
    client.force_login(world.users["editeur A"])
    content = f"reseau;nom;siret;telephone\n{slug};{world.member_a.name};{SIRET_A};0320000009\n"
    upload = SimpleUploadedFile("adherents.csv", content.encode(), content_type="text/csv")
    previewed = client.post(f"/reseaux/{slug}/import/", {"file": upload})
    token = previewed.context["preview"].token
    client.post(f"/reseaux/{slug}/import/confirmer/", {"token": token})
    _token, secret = network_api_token_create(
        network=world.network_a, name="CRM", user=world.users["editeur A"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    row = {"nom": world.member_b.name, "siret": SIRET_B, "telephone": "0320000008"}
    sent = api.post(f"/api/v1/networks/{slug}/members/", {"rows": [row]}, format="json")
    assert sent.json()["updated"] == 1
    client.logout()

    assert edited_on_map(client, world.member_a)["network"] == "APES"  # its file
    assert edited_on_map(client, world.member_b)["network"] == "APES"  # its API


def test_an_accepted_public_suggestion_is_credited_to_the_team(client, world):
    suggestion = Suggestion.objects.create(
        kind="correction", organisation=world.member_b, description="Recyclerie et atelier vélo."
    )
    client.force_login(world.users["moderateur"])
    client.post(f"/moderation/{suggestion.pk}/accepter/")

    edited = edited_on_map(client, world.member_b)

    assert edited == {"by": "team", "network": None, "on": today()}


def test_an_import_afterwards_keeps_the_persons_credit_and_adds_its_source(client, world):
    Organisation.objects.filter(pk=world.member_a.pk).update(siret=SIRET_A, siren=SIRET_A[:9])
    network_rows_apply(
        network=world.network_a,
        rows=[{"reseau": world.network_a.slug, "nom": world.member_a.name, "siret": SIRET_A}],
    )
    structure = {
        "source": "emplois-de-linclusion",
        "id": "7f1c0d2e-1111-4a8b-9c01-000000000001",
        "nom": world.member_a.name,
        "siret": SIRET_A,
        "description": "Chantier d'insertion en maraîchage.",
        "commune": "Lille",
        "code_postal": "59800",
        "code_insee": "59350",
        "longitude": "3.0871",
        "latitude": "50.633",
    }
    report = source_import(slug="data-inclusion", rows=[RawRow(number=1, data=structure)])
    assert report.updated == 1

    response = client.get(URL, {"bbox": LILLE_BBOX})
    feature = next(f for f in response.json()["features"] if f["id"] == world.member_a.pk)
    assert feature["properties"]["edited"]["network"] == "APES"
    assert len(feature["properties"]["sources"]) == 2  # the network's file, data·inclusion


def test_the_geojson_export_carries_the_credit(client, world):
    Organisation.objects.filter(pk=world.member_a.pk).update(
        edited_by=EditedBy.OWNER, edited_on=timezone.localdate()
    )

    response = client.get("/annuaire/export.geojson")

    features = {f["id"]: f["properties"] for f in json.loads(response.content)["features"]}
    assert features[world.member_a.pk]["edited"]["by"] == "owner"
    assert features[world.member_b.pk]["edited"] is None


def test_the_credit_costs_the_map_no_query(client, world, django_assert_max_num_queries):
    apes = world.network_a
    for index in range(20):
        organisation = make_organisation(f"Adhérent {index}", location=world.member_a.location)
        Organisation.objects.filter(pk=organisation.pk).update(
            edited_by=EditedBy.NETWORK, edited_by_network=apes, edited_on=timezone.localdate()
        )

    # One statement for the features, one for the collection's origin.
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"bbox": LILLE_BBOX})
    networks = [f["properties"]["edited"] for f in response.json()["features"]]
    assert sum(1 for edited in networks if edited and edited["network"] == "APES") == 20


def test_the_map_page_says_who_updated_a_listing(client, world):
    page = client.get("/carte/")

    assertContains(page, "Mis à jour par le réseau {network} le {date}")
    assertContains(page, "Mis à jour par la structure le {date}")


def test_the_backfill_reads_the_newest_correction_of_a_person_in_the_history(world):
    owner = world.users["utilisateur"]
    OrganisationEditor.objects.create(user=owner, organisation=world.member_a)
    for organisation, user in ((world.member_a, owner), (world.member_b, world.users["editeur B"])):
        organisation.phone = "03 20 00 00 02"
        organisation._history_user = user
        organisation.save()
    Organisation.objects.update(edited_by="", edited_by_network=None, edited_on=None)
    migration = importlib.import_module("directory.migrations.0034_organisation_edited_by")

    with connection.schema_editor() as editor:
        migration.backfill(None, editor)

    credits = dict(
        Organisation.objects.filter(edited_by__gt="").values_list("slug", "edited_by_network__name")
    )
    assert credits == {world.member_a.slug: None, world.member_b.slug: "CRESS Hauts-de-France"}
    assert Organisation.objects.get(pk=world.member_a.pk).edited_by == EditedBy.OWNER
