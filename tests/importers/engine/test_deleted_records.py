"""A record a person deleted is not created again by the next import (row by row and bulk).

Its provenance outlives it (no cascade), so the importer knows the record was there.
"""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from directory.models import Organisation, Provenance
from importers.engine.services import source_import
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

NORD_ACTIF = "Nord Actif (France Active Nord)"
SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"
DATA_INCLUSION = Path(__file__).resolve().parents[2] / "data" / "data-inclusion" / "structures.csv"
JARDINS = "50100001200010"


def test_an_organisation_deleted_by_a_person_is_not_recreated_by_the_seed():
    source_import(slug="seed")
    count = Organisation.objects.count()
    deleted = Organisation.objects.get(name=NORD_ACTIF)
    deleted_id = deleted.pk
    deleted.delete()

    unchanged = source_import(slug="seed")
    remapped = source_import(slug="seed", remap=True)

    assert not Organisation.objects.filter(name=NORD_ACTIF).exists()
    assert Organisation.objects.count() == count - 1
    assert unchanged.created == remapped.created == 0
    assert remapped.deleted == unchanged.deleted == [provenance_of(deleted_id).external_id]
    assert "fiches supprimées à la main, non recréées : 1" in "\n".join(unchanged.lines())
    assert provenance_of(deleted_id).source.slug == "seed"


def test_an_organisation_deleted_by_a_person_is_not_recreated_by_sirene():
    source_import(slug="sirene", path=SIRENE)
    Organisation.objects.get(siret=JARDINS).delete()

    report = source_import(slug="sirene", path=SIRENE)

    assert not Organisation.objects.filter(siret=JARDINS).exists()
    assert report.created == 0
    assert report.deleted == [JARDINS]
    assert report.kept == []


def test_a_record_a_person_made_again_gets_the_source_back_in_its_blanks():
    source_import(slug="sirene", path=SIRENE)
    old = Organisation.objects.get(siret=JARDINS)
    street = old.street
    old.delete()
    again = make_organisation(name="Les Jardins, refaits à la main", siret=JARDINS)

    report = source_import(slug="sirene", path=SIRENE)

    again.refresh_from_db()
    assert again.name == "Les Jardins, refaits à la main"  # a person's value stays
    assert again.street == street  # a blank the source fills
    assert report.deleted == []
    assert provenance_of(again.pk).external_id == JARDINS


def test_the_row_by_row_path_also_finds_a_record_made_again():
    source_import(slug="data-inclusion", path=DATA_INCLUSION)
    old = Organisation.objects.get(siret=JARDINS)
    street = old.street
    old.delete()
    again = make_organisation(name="Atelier vélo, refait à la main", siret=JARDINS)

    report = source_import(slug="data-inclusion", path=DATA_INCLUSION)

    again.refresh_from_db()
    assert again.name == "Atelier vélo, refait à la main"
    assert again.street == street
    assert report.deleted == []
    assert provenance_of(again.pk).source.slug == "data-inclusion"


def provenance_of(object_id: int) -> Provenance:
    return Provenance.objects.get(
        content_type=ContentType.objects.get_for_model(Organisation), object_id=object_id
    )
