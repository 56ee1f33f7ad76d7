"""Organisations and support offers in data·inclusion v1 (`/donnees/data-inclusion/`):
every row of the JSON and of the CSV accepted by the package's own pydantic models."""

import datetime

import pytest
from data_inclusion.schema.v1 import Service, Structure
from frictionless import Package

from directory.models import EditedBy, Organisation, SupportKind
from importers.engine.services import source_import
from tests.factories import make_organisation, make_support_offer

pytestmark = pytest.mark.django_db

BASE = "/donnees/data-inclusion"


def _json(client, table: str) -> list[dict]:
    response = client.get(f"{BASE}/{table}.json")
    assert response.status_code == 200
    return response.json()


def _csv_rows(client, tmp_path, table: str) -> list[dict]:
    """The CSV read back through its `datapackage.json` (decimal comma, `|` lists)."""
    for name in ("structures.csv", "services.csv", "datapackage.json"):
        (tmp_path / name).write_bytes(client.get(f"{BASE}/{name}").content)
    package = Package(tmp_path / "datapackage.json")
    rows = []
    for row in package.get_resource(table).read_rows():
        values = {key: value for key, value in row.to_dict().items() if value is not None}
        if table == "services":  # required text, empty when the source names no operator
            values.setdefault("structure_id", "")
        for column in ("thematiques", "zone_eligibilite", "sources"):
            if column in values:
                values[column] = values[column].split("|")
        rows.append(values)
    return rows


def test_every_seeded_structure_and_service_is_valid_data_inclusion(client, tmp_path):
    source_import(slug="seed")
    structures = _json(client, "structures")
    services = _json(client, "services")
    assert len(structures) > 30
    assert services
    for row in structures:
        Structure.model_validate(row)
    for row in services:
        Service.model_validate(row)
    csv_structures = _csv_rows(client, tmp_path, "structures")
    assert len(csv_structures) == len(structures)
    for row in csv_structures:
        Structure.model_validate(row)
    for row in _csv_rows(client, tmp_path, "services"):
        Service.model_validate(row)


def test_a_row_says_who_last_corrected_the_listing_by_hand(client, world):
    """The hand-correction credit of issue 13 (the map's popup) follows the row's sources."""
    Organisation.objects.filter(pk=world.member_a.pk).update(
        edited_by=EditedBy.NETWORK,
        edited_by_network=world.network_a,
        edited_on=datetime.date(2026, 12, 3),
    )
    Organisation.objects.filter(pk=world.member_b.pk).update(
        edited_by=EditedBy.OWNER, edited_on=datetime.date(2026, 12, 3)
    )

    rows = {row["nom"]: row for row in _json(client, "structures")}

    assert rows[world.member_a.name]["sources"] == [
        "Cartess (saisi par une personne)",
        "Mis à jour par le réseau APES le 3 décembre 2026",
    ]
    assert rows[world.member_b.name]["sources"][-1] == (
        "Mis à jour par la structure le 3 décembre 2026"
    )
    assert rows[world.network_a.name]["sources"] == ["Cartess (saisi par une personne)"]
    Structure.model_validate(rows[world.member_a.name])


def test_a_row_says_its_source_licence_and_extraction_date(client):
    make_organisation("Les Ateliers de la Mer", description="Recyclerie et ateliers.")
    row = _json(client, "structures")[0]
    assert row["source"] == "cartess"
    assert row["sources"] == ["Cartess (saisi par une personne)"]
    assert row["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert row["date_extraction"].endswith("Z")
    assert row["lien_source"].startswith("http://127.0.0.1:8000/organisations/les-ateliers")


def test_the_csv_is_for_a_french_spreadsheet(client, moulins_point):
    make_organisation("La Piscine", location=moulins_point)
    body = client.get(f"{BASE}/structures.csv").content.decode("utf-8-sig")
    header, row = body.splitlines()[:2]
    assert header.startswith("source;id;nom;date_maj")
    latitude = row.split(";")[header.split(";").index("latitude")]
    assert "," in latitude
    assert "." not in latitude


def test_a_service_names_its_structure_and_its_zone(client):
    provider = make_organisation("Incubateur Solidaire")
    offer = make_support_offer("Incubation ESS", provider=provider, territory_scope="region")
    offer.kinds.set(SupportKind.objects.filter(slug="formation"))
    service = _json(client, "services")[0]
    assert service["structure_id"] == f"cartess--{provider.pk}"
    assert service["type"] == "formation"
    assert service["zone_eligibilite"] == ["02", "59", "60", "62", "80"]
    Service.model_validate(service)


def test_the_exports_take_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(5):
        make_support_offer(f"Accompagnement {number}", provider=make_organisation(f"Org {number}"))
    with django_assert_max_num_queries(8):
        assert len(_json(client, "services")) == 5
    with django_assert_max_num_queries(4):
        assert len(_json(client, "structures")) == 5
