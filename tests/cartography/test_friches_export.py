"""`/donnees/friches/`: premises in the CNIG Friches standard, valid for frictionless against
the published schema; public fields for the public, the owner and drafts for city staff."""

import csv
import io

import pytest
from django.test import Client
from frictionless import validate

from directory.models import PublicationStatus
from directory.reader_tokens import reader_api_token_create
from importers.engine.services import source_import
from tests.factories import make_premises, make_user
from tests.importers.sources.test_cartofriches import lille, write

pytestmark = pytest.mark.django_db

EXPORT = "/donnees/friches/export.csv"
PACKAGE = "/donnees/friches/datapackage.json"
PUBLISHED = PublicationStatus.PUBLISHED


def _rows(client) -> list[dict]:
    body = client.get(EXPORT).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


def _sites():
    make_premises(
        "Friche Fives-Cail",
        street="rue Pierre Legrand",
        insee_code="59350",
        surface_m2=12000,
        owner_name="SPL Euralille",
        status="disponible",
        pollution="suspectee",
        planning_zone="U",
        publication_status=PUBLISHED,
    )
    make_premises("Local rue Solférino", kind="local-vacant", publication_status=PUBLISHED)
    make_premises("Projet non publié", owner_name="Ville de Lille")


def test_the_export_is_valid_cnig_friches_for_frictionless(staff_client, tmp_path):
    source_import(slug="cartofriches", path=write(tmp_path / "f.csv", [lille()]))
    _sites()
    for who, expected in (("public", 2), ("staff", 4)):
        folder = tmp_path / who
        folder.mkdir()
        http = staff_client if who == "staff" else Client()
        (folder / "export.csv").write_bytes(http.get(EXPORT).content)
        (folder / "datapackage.json").write_bytes(http.get(PACKAGE).content)
        report = validate(folder / "datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.tasks[0].stats["rows"] == expected


def test_the_public_sees_published_sites_without_the_owner(client):
    _sites()
    rows = {row["site_nom"]: row for row in _rows(client)}
    assert set(rows) == {"Friche Fives-Cail", "Local rue Solférino"}
    fives = rows["Friche Fives-Cail"]
    assert fives["proprio_nom"] == ""
    assert (fives["site_type"], fives["site_statut"]) == ("inconnu", "friche sans projet")
    assert fives["sol_pollution_existe"] == "pollution supposée"
    assert fives["unite_fonciere_surface"] == "12000"
    assert fives["geompoint"].startswith("POINT (3.08")  # longitude first
    assert rows["Local rue Solférino"]["site_type"] == "autre"


def test_city_staff_get_every_site_and_the_owner(staff_client):
    _sites()
    rows = {row["site_nom"]: row for row in _rows(staff_client)}
    assert rows["Projet non publié"]["proprio_nom"] == "Ville de Lille"
    assert rows["Friche Fives-Cail"]["proprio_nom"] == "SPL Euralille"


def test_an_imported_friche_keeps_its_cartofriches_id_type_and_source(staff_client, tmp_path):
    source_import(slug="cartofriches", path=write(tmp_path / "f.csv", [lille()]))
    row = _rows(staff_client)[0]
    assert row["site_id"] == "59350_0001"
    assert row["site_type"] == "friche industrielle"
    assert row["source_nom"] == "Cartofriches"


def test_a_reader_token_of_city_staff_fetches_the_staff_file_without_a_session(
    client, city_staff, tmp_path
):
    _sites()
    secret = reader_api_token_create(user=city_staff, name="Script SIG")[1]
    token = {"authorization": f"Token {secret}"}

    answer = client.get(EXPORT, headers=token)

    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    body = answer.content.decode("utf-8-sig")
    rows = {row["site_nom"]: row for row in csv.DictReader(io.StringIO(body), delimiter=";")}
    assert rows["Projet non publié"]["proprio_nom"] == "Ville de Lille"
    (tmp_path / "export.csv").write_bytes(answer.content)
    (tmp_path / "datapackage.json").write_bytes(client.get(PACKAGE, headers=token).content)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 3
    assert "Projet non publié" not in {row["site_nom"] for row in _rows(client)}  # public


@pytest.mark.parametrize(("whose", "status"), [("unknown", 401), ("left the city services", 403)])
def test_a_refused_token_gets_a_french_error_not_the_public_file(client, status, whose):
    _sites()
    header = "Token inconnu.secret"
    if whose != "unknown":
        former = make_user("ancien-agent")
        header = f"Token {reader_api_token_create(user=former, name='SIG')[1]}"

    answer = client.get(EXPORT, headers={"authorization": header})

    assert answer.status_code == status
    assert "jeton" in answer.json()["description"].lower()
