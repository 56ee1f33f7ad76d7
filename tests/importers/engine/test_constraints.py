"""The table's constraints are checked once, by PostgreSQL, on the import path (Django would
run one query per constraint and row): a row that breaks one is rejected with the
constraint's own French message, and the other rows are imported."""

import pytest

from directory.models import Organisation
from importers.engine.services import source_import
from importers.sources.network_csv import raw_rows
from tests.factories import make_organisation
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db

SIRET_A = "77500001200010"
SIRET_NEW = "77500002900006"


def test_a_row_breaking_a_unique_constraint_is_rejected_with_its_french_message(world):  # noqa: F811
    first = make_organisation("Café solidaire", siret=SIRET_A, siren=SIRET_A[:9])
    other = make_organisation("Atelier vélo", rna_id="W595000001")
    world.network_a.members.add(first, other)
    rows = [
        # Met by its SIRET, it would take the RNA number of another listing.
        {"nom": "Café solidaire", "siret": SIRET_A, "rna": "W595000001"},
        {"nom": "Ressourcerie nouvelle", "siret": SIRET_NEW},
    ]
    rows = [{"reseau": world.network_a.slug} | row for row in rows]

    report = source_import(slug="network-csv", rows=raw_rows(rows), scope=world.network_a)

    (rejection,) = report.rejections
    assert rejection.reason == "Une autre fiche a déjà ce numéro RNA."
    assert report.created == 1
    assert Organisation.objects.filter(siret=SIRET_NEW).exists()
    first.refresh_from_db()
    assert first.rna_id == ""
