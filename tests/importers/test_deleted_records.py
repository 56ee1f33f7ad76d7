"""A record a person deleted is not created again by the next import (row by row and bulk).

Its provenance outlives it (no cascade), so the importer knows the record was there.
"""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from directory.models import Organisation
from importers.models import Provenance
from importers.services import source_import

pytestmark = pytest.mark.django_db

NORD_ACTIF = "Nord Actif (France Active Nord)"
SIRENE = Path(__file__).resolve().parent.parent / "data" / "sirene"
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
    assert any("supprimé à la main, non recréé" in note for note in remapped.kept)
    provenance = Provenance.objects.get(
        content_type=ContentType.objects.get_for_model(Organisation), object_id=deleted_id
    )
    assert provenance.source.slug == "seed"


def test_an_organisation_deleted_by_a_person_is_not_recreated_by_sirene():
    source_import(slug="sirene", path=SIRENE)
    Organisation.objects.get(siret=JARDINS).delete()

    report = source_import(slug="sirene", path=SIRENE)

    assert not Organisation.objects.filter(siret=JARDINS).exists()
    assert report.created == 0
    assert any(JARDINS in note and "non recréé" in note for note in report.kept)
