"""directory.prepared: a few fixed statements (the pathway's, the unfiltered directory page,
the credits' sources, the filter panels' choices) are planned once per connection, and only
they (issue 20)."""

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Stage
from directory.pathway import loading
from directory.prepared import prepared_cursor
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

PREPARED = "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(PREPARED)
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_is_prepared_once_and_answers_as_django_s_cursor():
    Stage.objects.get_or_create(slug="test-prepared", defaults={"name": "Test", "position": 99})
    query = "SELECT slug, name FROM directory_stage WHERE slug = %(slug)s"
    with connection.cursor() as cursor:
        cursor.execute(query, {"slug": "test-prepared"})
        expected = cursor.fetchall()
    with prepared_cursor() as cursor:
        for _ in range(3):
            cursor.execute(query, {"slug": "test-prepared"})
            assert cursor.fetchall() == expected == [("test-prepared", "Test")]
    prepared = [text for text in _prepared_statements() if "directory_stage" in text]
    assert prepared == ["SELECT slug, name FROM directory_stage WHERE slug = $1"]


def test_django_s_own_queries_are_never_prepared():
    before = set(_prepared_statements())
    for _ in range(3):
        make_organisation("Jamais préparée")
        list(Stage.objects.filter(slug="amorcage"))
    assert set(_prepared_statements()) == before


def test_prepared_statements_are_counted_and_read_timestamps_in_utc():
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute("SELECT %(moment)s::timestamptz", {"moment": "2026-12-04T10:00:00+01:00"})
        (moment,) = cursor.fetchone()
    assert len(queries) == 1
    assert moment == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_the_pathway_reads_its_schemes_and_offers_through_prepared_statements():
    for _ in range(2):
        loading.judged_schemes()
        loading.judged_offers()
    prepared = _prepared_statements()
    assert sum("directory_fundingscheme o" in text for text in prepared) == 1
    assert sum("directory_supportoffer o" in text for text in prepared) == 1


def test_the_query_log_writes_a_prepared_statement_with_its_values():
    query = "SELECT slug FROM directory_stage WHERE slug = %(slug)s AND position >= %(position)s"
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        for _ in range(2):  # prepared at the first, run prepared at the second
            cursor.execute(query, {"slug": "l'amorçage", "position": 0})
    logged = [query["sql"] for query in queries.captured_queries]
    expected = "SELECT slug FROM directory_stage WHERE slug = 'l''amorçage' AND position >= 0"
    assert logged == [expected, expected]


def test_the_unfiltered_directory_page_and_the_sources_are_prepared_a_filtered_page_is_not(
    client,
):
    make_organisation("Près du beffroi", location=Point(3.07, 50.63, srid=4326))
    nearest = {"sort": "distance", "lat": "50.63", "lon": "3.06", "limit": "10"}
    for _ in range(2):
        for query in (nearest, {**nearest, "kind": "entreprise-ess"}):
            response = client.get("/api/v1/directory/organisations/", query)
            assert response.json()["results"][0]["name"] == "Près du beffroi"
    prepared = _prepared_statements()
    pages = [text for text in prepared if "<->" in text]
    assert len(pages) == 1
    assert "organisation_kinds" not in pages[0]
    assert sum("FROM importers_provenance p" in text for text in prepared) == 1


def test_the_filter_panels_choices_are_prepared_once(client):
    # On every visit of /annuaire/, /carte/ and /recherche/: a fixed statement.
    for url in ("/annuaire/", "/recherche/", "/annuaire/"):
        assert client.get(url).status_code == 200
    prepared = _prepared_statements()
    assert sum("'legal_families'" in text for text in prepared) == 1
