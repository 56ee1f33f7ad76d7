"""A mapper that changes reaches the rows whose raw content did not: the mapping version.

Each test imports with the "old" mapper (a mapping table without one entry), then imports
the very same files with the current mapper, as the next release would. The row-by-row
path is exercised with `siae` (the kinds of inclusive structures written out in the
description), the bulk path with `sirene` (the street types written out in the address).
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.models import Organisation, Provenance
from importers.engine.services import source_import
from importers.models import DisagreementStatus, FieldDisagreement, ImportRun
from importers.sources import siae, sirene

pytestmark = pytest.mark.django_db

SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"
#: The SIAE of the bundled fixture that are ateliers et chantiers d'insertion (ACI).
ACI_COUNT = 11
NEW_ACI_WORDING = "Structure d'insertion : atelier et chantier d'insertion (ACI)."
OLD_ACI_WORDING = "Structure d'insertion de type ACI."
#: The one établissement of the SIRENE fixture on an avenue ("AV" in the file).
FONDATION = "50100007900019"
PERSON_TEXT = "Chantier d'insertion du quartier, fiche relue par le réseau."


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def siae_old(monkeypatch, fast_communes):
    """The SIAE imported by a mapper that did not know the ACI kind yet."""
    source_import(slug="communes")
    with monkeypatch.context() as old:
        old.delitem(siae.KIND_LABELS, "ACI")
        source_import(slug="siae")
    return Organisation.objects.filter(description__startswith=OLD_ACI_WORDING)


@pytest.fixture
def sirene_old(monkeypatch):
    """The SIRENE fixture imported by a mapper that left "AV" as it is."""
    with monkeypatch.context() as old:
        old.delitem(sirene.STREET_TYPES, "AV")
        source_import(slug="sirene", path=SIRENE)
    assert Organisation.objects.get(siret=FONDATION).street == "1 AV DE DUNKERQUE"


# --- Row by row ----------------------------------------------------------------------------


def test_a_new_mapping_version_maps_unchanged_rows_again(siae_old, monkeypatch):
    assert siae_old.count() == ACI_COUNT
    monkeypatch.setattr(siae.SiaeSource, "mapping_version", 2)

    report = source_import(slug="siae")

    assert (report.created, report.updated, report.unchanged) == (0, ACI_COUNT, 19 - ACI_COUNT)
    assert not siae_old.exists()
    assert Organisation.objects.filter(description__startswith=NEW_ACI_WORDING).count() == 11
    versions = set(Provenance.objects.filter(source__slug="siae").values_list("mapping_version"))
    assert versions == {("2",)}
    assert source_import(slug="siae").unchanged == 19  # once is enough


def test_the_same_mapping_version_leaves_unchanged_rows_alone(siae_old):
    report = source_import(slug="siae")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 19)
    assert siae_old.count() == ACI_COUNT


def test_remap_maps_every_row_again_whatever_the_version(siae_old):
    output = run_command("siae", "--remap")

    assert f"siae : 0 créés, {ACI_COUNT} mis à jour, 8 inchangés" in output
    assert not siae_old.exists()
    run = ImportRun.objects.filter(source__slug="siae").latest("started_at")
    assert (run.parameters["remap"], run.parameters["mapping_version"]) == (True, "1")


def test_a_description_a_person_rewrote_survives_a_new_mapping_version(siae_old, monkeypatch):
    edited = siae_old.first()
    edited.description = PERSON_TEXT
    edited.save()
    monkeypatch.setattr(siae.SiaeSource, "mapping_version", 2)

    report = source_import(slug="siae")

    edited.refresh_from_db()
    assert edited.description == PERSON_TEXT
    assert report.updated == ACI_COUNT - 1
    disagreement = FieldDisagreement.objects.get(provenance__object_id=edited.pk)
    assert (disagreement.field, disagreement.status) == ("description", DisagreementStatus.OPEN)
    assert disagreement.current_value == PERSON_TEXT
    assert disagreement.incoming_value.startswith(NEW_ACI_WORDING)
    assert disagreement.previous_value.startswith(OLD_ACI_WORDING)


def test_records_imported_before_versions_existed_are_mapped_once(siae_old):
    Provenance.objects.update(mapping_version="")

    assert source_import(slug="siae").updated == ACI_COUNT
    assert source_import(slug="siae").unchanged == 19


# --- Bulk (SIRENE) -------------------------------------------------------------------------


def test_sirene_maps_unchanged_rows_again_under_a_new_mapping_version(sirene_old, monkeypatch):
    monkeypatch.setattr(sirene.SireneSource, "mapping_version", "2025-06")

    report = source_import(slug="sirene", path=SIRENE)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 8)
    assert Organisation.objects.get(siret=FONDATION).street == "1 AVENUE DE DUNKERQUE"
    provenance = Provenance.objects.get(source__slug="sirene", external_id=FONDATION)
    assert provenance.mapping_version == "2025-06"
    assert provenance.imported_values["street"] == "1 AVENUE DE DUNKERQUE"
    again = source_import(slug="sirene", path=SIRENE)
    assert (again.updated, again.unchanged) == (0, 9)


def test_sirene_leaves_unchanged_rows_alone_under_the_same_version(sirene_old):
    report = source_import(slug="sirene", path=SIRENE)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 9)
    assert Organisation.objects.get(siret=FONDATION).street == "1 AV DE DUNKERQUE"


def test_sirene_remap_maps_every_row_again(sirene_old):
    output = run_command("sirene", "--file", str(SIRENE), "--remap")

    assert "sirene : 0 créés, 1 mis à jour, 8 inchangés" in output
    assert Organisation.objects.get(siret=FONDATION).street == "1 AVENUE DE DUNKERQUE"


def test_sirene_keeps_a_street_a_person_corrected_when_the_mapper_changes(sirene_old):
    Organisation.objects.filter(siret=FONDATION).update(street="1 AVENUE DE DUNKERQUE (BAT. B)")

    report = source_import(slug="sirene", path=SIRENE, remap=True)

    assert Organisation.objects.get(siret=FONDATION).street == "1 AVENUE DE DUNKERQUE (BAT. B)"
    assert f"{FONDATION} : street conservé" in report.kept
    disagreement = FieldDisagreement.objects.get(field="street")
    assert disagreement.incoming_value == "1 AVENUE DE DUNKERQUE"
    assert disagreement.previous_value == "1 AV DE DUNKERQUE"
    provenance = Provenance.objects.get(source__slug="sirene", external_id=FONDATION)
    assert provenance.imported_values["street"] == "1 AV DE DUNKERQUE"
