"""Every GeoJSON and CSV Cartess writes says its sources, its licence and its data's date
(issue 18), the date being the data's own (its latest change or import), never the
request's: unchanged data is the same bytes, so the ETag and the 304 hold
(cartography/origin.py, directory/exports/origin.py)."""

import csv
import datetime
import io
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from frictionless import Package, validate

from cartography.models import Premises
from directory.models import Organisation, Provenance, ProvenanceSighting, PublicationStatus, Source
from tests.factories import FIVES, make_organisation, make_premises, make_user

pytestmark = pytest.mark.django_db

CHANGED = datetime.datetime(2026, 3, 14, 10, 30, 15, tzinfo=datetime.UTC)
SIGHTED = datetime.datetime(2026, 4, 2, 6, 0, 0, tzinfo=datetime.UTC)
PUBLIC_GEOJSON = [
    "/api/v1/organisations/",
    "/api/v1/areas/",
    "/api/v1/premises/",
    "/annuaire/export.geojson",
    "/lieux/carte.geojson",
]


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        slug="tiers-lieux-test",
        name="Tiers-lieux (ANCT)",
        licence="Licence Ouverte 2.0",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    )


@pytest.fixture
def listings(source):
    imported = make_organisation("Les Jardins de Fives", location=FIVES.clone())
    typed = make_organisation("Régie de Fives", location=FIVES.clone())
    Provenance.objects.create(
        source=source,
        external_id="TL-1",
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=imported.pk,
        content_hash="x",
        first_seen_at=CHANGED,
        last_seen_at=CHANGED,
    )
    Organisation.objects.update(updated_at=CHANGED)
    make_premises("Hangar en discussion", location=FIVES.clone())  # the layer is loaded
    Premises.objects.update(updated_at=CHANGED)
    return imported, typed


@pytest.mark.parametrize("url", PUBLIC_GEOJSON)
def test_every_public_geojson_says_its_licence_and_date(client, listings, url):
    collection = client.get(url).json()

    assert collection["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert collection["licence_url"].startswith("https://www.etalab.gouv.fr/")
    assert collection["sources"][0]["name"] == "Cartess"
    assert "Licence Ouverte 2.0" in collection["description"]
    assert collection["date_extraction"] in ("", "2026-03-14T10:30:15Z")


def test_the_map_names_each_source_and_dates_the_data(client, listings):
    collection = client.get("/api/v1/organisations/").json()

    assert [source["name"] for source in collection["sources"]] == [
        "Cartess",
        "Tiers-lieux (ANCT)",
    ]
    assert collection["sources"][1]["licence"] == "Licence Ouverte 2.0"
    assert collection["date_extraction"] == "2026-03-14T10:30:15Z"
    assert "Données au 14 mars 2026." in collection["description"]
    credits = {f["properties"]["name"]: f["properties"]["sources"] for f in collection["features"]}
    # A listing typed in Cartess has no source: its credit is Cartess's own.
    assert credits == {"Les Jardins de Fives": ["Tiers-lieux (ANCT)"], "Régie de Fives": []}


def _provenance(source: Source, record, external_id: str) -> None:
    Provenance.objects.create(
        source=source,
        external_id=external_id,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        content_hash="x",
        first_seen_at=CHANGED,
        last_seen_at=CHANGED,
    )


def test_the_map_names_every_source_of_its_listings_and_no_other(client, listings, source):
    """Several sources, each found by one step of the (content type, source) index: those of
    the organisations are named, one that gave only premises is not."""
    sirene = Source.objects.create(slug="sirene-test", name="SIRENE (INSEE)", licence="LO 2.0")
    friches = Source.objects.create(slug="friches-test", name="Cartofriches", licence="LO 2.0")
    rna = Source.objects.create(slug="rna-test", name="RNA", licence="LO 2.0")
    imported, typed = listings
    _provenance(sirene, typed, "S-1")
    _provenance(friches, Premises.objects.get(), "F-1")
    _provenance(rna, imported, "W-1")

    names = [item["name"] for item in client.get("/api/v1/organisations/").json()["sources"]]
    premises = [item["name"] for item in client.get("/api/v1/premises/").json()["sources"]]

    assert names == ["Cartess", "RNA", "SIRENE (INSEE)", "Tiers-lieux (ANCT)"]
    assert premises == ["Cartess", "Cartofriches"]


def test_an_unchanged_import_run_dates_the_data_too(client, listings, source):
    ProvenanceSighting.objects.create(source=source, seen_at=SIGHTED, provenance_ids=[])

    collection = client.get("/annuaire/export.geojson").json()

    assert collection["date_extraction"] == "2026-04-02T06:00:00Z"


def test_unchanged_data_is_the_same_download_later(client, listings):
    first = client.get("/annuaire/export.geojson")
    csv_first = client.get("/annuaire/export.csv")
    time.sleep(1.1)  # the request's second has changed; the data's date has not
    again = client.get("/annuaire/export.geojson", headers={"if-none-match": first["ETag"]})
    csv_again = client.get("/annuaire/export.csv", headers={"if-none-match": csv_first["ETag"]})

    assert (again.status_code, csv_again.status_code) == (304, 304)
    rows = list(csv.DictReader(io.StringIO(csv_first.content.decode("utf-8-sig")), delimiter=";"))
    assert {row["date_extraction"] for row in rows} == {"2026-03-14T10:30:15Z"}


def test_a_change_moves_the_date(client, listings):
    before = client.get("/api/v1/organisations/").json()["date_extraction"]
    make_organisation("Café solidaire", location=FIVES.clone())

    after = client.get("/api/v1/organisations/").json()["date_extraction"]

    assert after > before


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("agent", is_staff=True, is_superuser=True))
    return client


def test_the_land_exports_say_they_are_for_internal_use(staff_client):
    make_premises("Friche Fives", location=FIVES.clone(), owner_name="Dupont")
    Premises.objects.update(updated_at=CHANGED)

    collection = staff_client.get("/foncier/export.geojson").json()
    rows = list(
        csv.DictReader(
            io.StringIO(staff_client.get("/foncier/export.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )

    assert collection["licence"] == "Usage interne (champs confidentiels)"
    assert collection["licence_url"] == ""
    assert collection["date_extraction"] == "2026-03-14T10:30:15Z"
    (row,) = rows
    assert row["licence"] == "Usage interne (champs confidentiels)"
    assert row["date_extraction"] == "2026-03-14T10:30:15Z"
    assert row["sources"].startswith("Cartess (licence : ")


def test_the_place_network_csv_carries_its_origin(client, listings):
    Organisation.objects.filter(name="Régie de Fives").update(
        place_roles=["lieu-totem"], publication_status=PublicationStatus.PUBLISHED
    )
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/lieux/reseau/export.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )

    assert rows
    assert {row["licence"] for row in rows} == {"Licence Ouverte 2.0 (Etalab)"}
    assert "Tiers-lieux (ANCT) (licence : Licence Ouverte 2.0)" in rows[0]["sources"]


def test_the_place_network_csv_validates_with_its_package(client, listings, tmp_path):
    Organisation.objects.filter(name="Les Jardins de Fives").update(place_roles=["lieu-totem"])
    (tmp_path / "export.csv").write_bytes(client.get("/lieux/reseau/export.csv").content)
    package = client.get("/lieux/reseau/datapackage.json")
    (tmp_path / "datapackage.json").write_bytes(package.content)

    report = validate(tmp_path / "datapackage.json")

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = package.json()
    assert descriptor["licenses"][0]["title"] == "Licence Ouverte 2.0 (Etalab)"
    assert "Tiers-lieux (ANCT) (licence : Licence Ouverte 2.0)" in {
        source["title"] for source in descriptor["sources"]
    }
    (row,) = Package(tmp_path / "datapackage.json").get_resource("lieux").read_rows()
    assert (row["lieu"], row["lieu_totem"]) == ("Les Jardins de Fives", "oui")
    assert 'href="/lieux/reseau/datapackage.json"' in client.get("/lieux/reseau/").content.decode()
