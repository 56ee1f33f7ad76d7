"""A re-run with nothing changed writes no provenance: one sighting row for the run, and
the facts still say when their source last saw them (issue 20)."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Organisation, Provenance, ProvenanceSighting
from directory.selectors.credit import organisation_credits_get
from importers.engine.services import source_import

pytestmark = pytest.mark.django_db

SIRENE = Path(__file__).resolve().parents[2] / "data" / "sirene"


def row_versions(slug: str) -> dict[int, str]:
    """Each provenance's physical row version: any UPDATE gives the row a new ctid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.ctid::text FROM importers_provenance p "
            "JOIN importers_source s ON s.id = p.source_id WHERE s.slug = %s",
            [slug],
        )
        return dict(cursor.fetchall())


def provenance_updates(queries: CaptureQueriesContext) -> list[str]:
    """The row-by-row statements that update provenances (the bulk path's set-based
    statements run whatever the data, and write no row when nothing changed: the row
    versions tell)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().startswith('UPDATE "importers_provenance"')
    ]


@pytest.mark.parametrize("slug", ["seed", "sirene"])
def test_an_unchanged_rerun_rewrites_no_provenance_and_records_one_sighting(slug):
    path = SIRENE if slug == "sirene" else None
    source_import(slug=slug, path=path)
    before = row_versions(slug)
    assert before
    with CaptureQueriesContext(connection) as queries:
        report = source_import(slug=slug, path=path)
    assert report.counts["unchanged"] == len(before)
    assert provenance_updates(queries) == []
    assert row_versions(slug) == before
    sighting = ProvenanceSighting.objects.get(source__slug=slug)
    seen = Provenance.objects.with_last_seen().filter(source__slug=slug)
    assert {p.last_seen for p in seen} == {sighting.seen_at}
    assert all(p.last_seen > p.last_seen_at for p in seen)


def test_the_page_credit_says_when_the_source_last_saw_an_unchanged_record():
    source_import(slug="sirene", path=SIRENE)
    first = Provenance.objects.filter(source__slug="sirene").first()
    source_import(slug="sirene", path=SIRENE)
    organisation = Organisation.objects.select_related("legal_family").get(pk=first.object_id)
    credit = organisation_credits_get(organisations=[organisation])[organisation.pk]
    sighting = ProvenanceSighting.objects.get(source__slug="sirene")
    assert [s.last_seen_at for s in credit.sources] == [sighting.seen_at]
    assert sighting.seen_at > first.last_seen_at


def test_a_record_written_after_a_sighting_shows_its_write(tmp_path):
    source_import(slug="sirene", path=SIRENE)
    source_import(slug="sirene", path=SIRENE)
    provenance = Provenance.objects.filter(source__slug="sirene").first()
    Provenance.objects.filter(pk=provenance.pk).update(content_hash="changed upstream")
    source_import(slug="sirene", path=SIRENE)
    written = Provenance.objects.with_last_seen().get(pk=provenance.pk)
    assert written.last_seen == written.last_seen_at
    assert written.last_seen_at > ProvenanceSighting.objects.earliest("seen_at").seen_at


def test_the_credits_read_the_same_last_seen_as_the_models_rule():
    # The credits write the rule of `with_last_seen` out in SQL (credit_sql.FACT_SOURCES):
    # after a sighting, and after one record was written again, both say the same dates.
    source_import(slug="sirene", path=SIRENE)
    source_import(slug="sirene", path=SIRENE)
    rewritten = Provenance.objects.filter(source__slug="sirene").first()
    Provenance.objects.filter(pk=rewritten.pk).update(content_hash="changed upstream")
    source_import(slug="sirene", path=SIRENE)
    organisations = list(Organisation.objects.select_related("legal_family"))

    credits = organisation_credits_get(organisations=organisations)

    expected = {p.object_id: p.last_seen for p in Provenance.objects.with_last_seen().all()}
    read = {pk: [s.last_seen_at for s in credit.sources] for pk, credit in credits.items()}
    assert read == {pk: [seen] for pk, seen in expected.items()}
    # Both halves of the rule were read: the rewrite's own date, the others' sighting.
    seen = {p.object_id: p for p in Provenance.objects.with_last_seen()}
    assert seen[rewritten.object_id].last_seen == seen[rewritten.object_id].last_seen_at
    assert all(p.last_seen > p.last_seen_at for pk, p in seen.items() if pk != rewritten.object_id)
