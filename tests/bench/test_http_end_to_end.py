"""`manage.py bench_http` from end to end: a few hundred organisations committed to the test
database, gunicorn started with the production settings on it, a few requests each."""

import json

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from bench.management.commands import bench_http

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_endpoint_answers_through_gunicorn_and_its_figures_are_written(monkeypatch, tmp_path):
    # The test database's name has no "bench": let the bench fill it (rolled back after).
    monkeypatch.setattr(bench_http, "BENCH_MARKER", "test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        [[started]] = cursor.fetchall()

    call_command("bench_http", count=300, requests=4, output=tmp_path)

    # The filled database was settled (VACUUM ANALYZE) before anything was measured, so the
    # plans are made on its rows' statistics, not on those of empty tables.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname IN "
            "('directory_search_word', 'directory_fundingscheme', 'cartography_placeservice')"
            " AND last_vacuum >= %s AND last_analyze >= %s",
            [started, started],
        )
        assert len(cursor.fetchall()) == 3

    [path] = tmp_path.glob("*-300.json")
    run = json.loads(path.read_text(encoding="utf-8"))
    endpoints = {figures["key"]: figures for figures in run["endpoints"]}
    assert len(endpoints) == 32  # the 21, and the 11 pages it leaves out
    assert {key: figures.get("skipped", "") for key, figures in endpoints.items()} == dict.fromkeys(
        endpoints, ""
    )
    assert {key: figures["error_count"] for key, figures in endpoints.items()} == dict.fromkeys(
        endpoints, 0
    )
    for figures in endpoints.values():
        assert figures["requests"] == 4
        assert figures["errors"] == []
        assert figures["http_ms"]["p95"] > 0
        assert figures["sql_ms"]["p95"] > 0
        assert figures["ratio_p95"] > 0
        assert figures["queries_per_request"] >= 1
    assert run["workers"] == 2
    assert run["machine"]["cpu_count"] >= 1
    assert set(run["machine"]["postgresql_settings"]) >= {"jit", "shared_buffers", "work_mem"}
    assert len(run["load_before"]) == len(run["load_after"]) == 3
    assert "| accueil (/) |" in path.with_suffix(".md").read_text(encoding="utf-8")
    # gunicorn was stopped at the end: its address no longer answers.
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{run['server']}/healthz", timeout=5)
