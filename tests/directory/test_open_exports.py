"""Funding schemes in etalab's `dispositif-aide` (`/financements/export.csv`), checked by
frictionless against the published schema, with the `datapackage.json` beside the CSV."""

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from frictionless import Package, Resource, Schema, validate

from directory.exports.dispositif_aide import dispositif_aide_header
from directory.models import (
    FundingScheme,
    LegalFamily,
    Organisation,
    Provenance,
    PublicationStatus,
    Source,
)
from importers.engine.services import source_import
from tests.factories import make_area, make_organisation
from tests.factories import make_pathway_scheme as scheme

pytestmark = pytest.mark.django_db

EXPORT = "/financements/export.csv"
PACKAGE = "/financements/datapackage.json"
SCHEMA = Path(__file__).parents[2] / "directory/exports/schemas/dispositif-aide.json"


def _rows(client) -> list[dict]:
    body = client.get(EXPORT).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body), delimiter=";"))


def _download(client, folder) -> None:
    """The CSV and its `datapackage.json`, side by side as a reuser saves them."""
    (folder / "export.csv").write_bytes(client.get(EXPORT).content)
    (folder / "datapackage.json").write_bytes(client.get(PACKAGE).content)


def test_every_seeded_scheme_is_a_valid_dispositif_aide(client, tmp_path):
    source_import(slug="seed")
    published = FundingScheme.objects.filter(publication_status=PublicationStatus.PUBLISHED).count()
    _download(client, tmp_path)

    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == published > 0
    # and against the schema file itself, whatever the package declares
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    resource = Resource("export.csv", basepath=str(tmp_path), schema=schema)
    report = validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == published > 0


def test_the_package_says_sources_licence_and_extraction_date(client, tmp_path):
    source_import(slug="seed")
    _download(client, tmp_path)
    package = Package(tmp_path / "datapackage.json")
    seed = Source.objects.get(slug="seed")
    titles = [source["title"] for source in package.sources]
    assert titles[0].startswith("Cartess (licence : Licence Ouverte 2.0")
    assert any(title.startswith(seed.name) for title in titles)
    assert package.licenses[0]["title"] == "Licence Ouverte 2.0 (Etalab)"
    assert package.created.endswith("Z")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["resources"][0]["schema"]["name"] == "dispositif-aide"


def test_columns_are_the_schema_s_and_the_id_is_a_stable_uuid(client):
    grant = scheme("Fonds d'amorçage", description="Un prêt pour démarrer.")
    first = _rows(client)
    assert list(first[0]) == dispositif_aide_header()
    assert first[0]["id"] == str(grant.uuid) == str(uuid.UUID(first[0]["id"]))
    grant.slug = "fonds-amorcage-2027"
    grant.save()
    second = _rows(client)[0]
    assert second["id"] == first[0]["id"]
    assert second["description"] == "Un prêt pour démarrer."
    assert second["date_mise_a_jour"].endswith("Z")


def test_territories_are_cog_codes(client):
    lille = make_area("commune", "59350", "Lille", (3.0, 50.6, 3.1, 50.7))
    fives = make_area("quartier", "59350-6", "Fives", (3.08, 50.62, 3.1, 50.64))
    fives.parent = lille
    fives.save()
    scheme("Aide régionale", territory_scope="region")
    scheme("Budget de quartier", territory_scope="quartier", areas=(fives,))
    scheme("Aide nationale", territory_scope="national")
    by_title = {row["titre"]: row for row in _rows(client)}
    assert by_title["Aide régionale"]["eligibilite_geographique"] == "REG-32"
    assert by_title["Budget de quartier"]["eligibilite_geographique"] == "COM-59350"
    assert by_title["Aide nationale"]["eligibilite_geographique"] == "PAYS-99100"


def test_targets_funders_and_dates_follow_the_schema(client):
    mel = make_organisation(
        "Métropole Européenne de Lille", kinds=("financeur",), siren="200093201"
    )
    grant = scheme(
        "Soutien aux associations",
        opens_on="2027-01-15",
        closes_on="2027-03-31",
        eligibility_text="",
    )
    grant.funders.set([mel])
    grant.eligible_legal_families.set(LegalFamily.objects.filter(slug="association"))
    row = _rows(client)[0]
    assert row["cibles"] == "associations"
    assert json.loads(row["porteurs"]) == [
        {"nom": "Métropole Européenne de Lille", "siren": "200093201", "roles": ["financeur"]}
    ]
    assert row["date_ouverture"] == "2027-01-15T00:00:00+01:00"
    assert row["date_cloture"] == "2027-03-31T23:59:59+02:00"
    assert "• Familles juridiques : Association" in row["eligibilite"]


def test_a_name_a_spreadsheet_would_run_is_written_as_text(client):
    scheme('=HYPERLINK("http://evil.example")', description="Piège.")
    assert _rows(client)[0]["titre"] == '\'=HYPERLINK("http://evil.example")'


def test_the_export_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(6):
        scheme(f"Dispositif {number}")
    with django_assert_max_num_queries(12):
        assert len(_rows(client)) == 6


def test_the_directory_csv_says_licence_and_date_and_validates_with_its_package(
    client, tmp_path, moulins_point
):
    make_organisation("La Piscine", location=moulins_point)
    (tmp_path / "export.csv").write_bytes(client.get("/annuaire/export.csv").content)
    (tmp_path / "datapackage.json").write_bytes(client.get("/annuaire/datapackage.json").content)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    row = Package(tmp_path / "datapackage.json").get_resource("organisations").read_rows()[0]
    assert row["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert row["date_extraction"].endswith("Z")
    assert round(float(row["latitude"]), 3) == round(moulins_point.y, 3)


def test_the_pages_offer_the_downloads(client):
    funding = client.get("/financements/").content.decode()
    assert 'href="/financements/export.csv"' in funding
    assert 'href="/financements/datapackage.json"' in funding
    directory = client.get("/annuaire/").content.decode()
    for url in (
        "/annuaire/datapackage.json",
        "/donnees/data-inclusion/structures.csv",
        "/donnees/carte.gpkg",
    ):
        assert f'href="{url}"' in directory


def test_the_directory_package_names_the_sources_of_published_listings_only(client):
    # Each source named once, by name, read one record per source (issue 20): not the
    # source whose only listing is a draft.
    seen = timezone.now()
    kind = ContentType.objects.get_for_model(Organisation)
    published = [make_organisation(f"Publiée {number}") for number in range(3)]
    draft = make_organisation("Brouillon", publication_status=PublicationStatus.DRAFT)
    for slug, records in (("zz-rna", published[:2]), ("aa-sirene", published), ("mm", [draft])):
        source = Source.objects.create(slug=slug, name=slug.upper(), licence="Licence Ouverte")
        for record in records:
            Provenance.objects.create(
                source=source,
                external_id=f"{slug}-{record.pk}",
                content_type=kind,
                object_id=record.pk,
                content_hash="0" * 64,
                imported_values={},
                first_seen_at=seen,
                last_seen_at=seen,
            )

    package = client.get("/annuaire/datapackage.json").json()

    titles = [source["title"] for source in package["sources"]]
    assert [title for title in titles if "Cartess" not in title] == [
        "AA-SIRENE (licence : Licence Ouverte)",
        "ZZ-RNA (licence : Licence Ouverte)",
    ]
