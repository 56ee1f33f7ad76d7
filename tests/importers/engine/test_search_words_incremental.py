"""An import run adds to the typo dictionary the words of the records it wrote, and reads
no other row: a small run on a large directory costs its own rows."""

import pytest
from django.db import connection

from importers.engine.services import source_import
from importers.sources.network_csv import raw_rows
from tests.factories import make_organisation
from tests.roles import world  # noqa: F401

pytestmark = pytest.mark.django_db


def known(word: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM directory_search_word WHERE word = %s)", [word]
        )
        return cursor.fetchone()[0]


def test_a_run_adds_the_words_of_what_it_wrote_only(world):  # noqa: F811
    make_organisation("Zygomatique", description="Compagnie de théâtre.")  # before the run
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO directory_search_word VALUES ('obsolete', 1)")
    rows = [{"reseau": world.network_a.slug, "nom": "Ressourcerie Quinconce"}]

    report = source_import(slug="network-csv", rows=raw_rows(rows), scope=world.network_a)

    assert report.created == 1
    assert known("quinconce")
    assert known("ressourcerie")
    assert not known("zygomatique")  # not written by the run: not read
    assert known("obsolete")  # removals wait for the weekly whole refresh


def test_a_dry_run_adds_no_word(world):  # noqa: F811
    rows = [{"reseau": world.network_a.slug, "nom": "Ressourcerie Quinconce"}]

    source_import(slug="network-csv", rows=raw_rows(rows), scope=world.network_a, dry_run=True)

    assert not known("quinconce")
