"""The parts of `manage.py bench_http`: percentiles, the HTTP client, the endpoints, the SQL
captured and replayed, the figures written down (the whole run: test_http_end_to_end.py)."""

import json

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from werkzeug import Response

from bench.http.client import http_time, percentiles
from bench.http.endpoints import Endpoint, endpoints_get
from bench.http.results import endpoint_line, results_write
from bench.http.server import database_url, gunicorn_running, production_env
from bench.http.sql_replay import sql_capture, sql_replay_time
from tests.factories import LILLE_CENTRE, make_organisation


def test_percentiles_cut_the_latencies_and_say_none_without_any():
    assert percentiles([float(n) for n in range(101)]) == {"p50": 50.0, "p95": 95.0, "p99": 99.0}
    assert percentiles([]) == {"p50": None, "p95": None, "p99": None}


def test_the_client_counts_answers_and_failures_over_keep_alive_sessions(httpserver):
    answers = iter(range(1000))

    def handler(request):
        # Every fourth answer fails, as an overloaded server would.
        return Response("{}", status=500 if next(answers) % 4 == 3 else 200)

    httpserver.expect_request("/api/v1/organisations/").respond_with_handler(handler)

    timings = http_time(
        base_url=httpserver.url_for("").rstrip("/"),
        paths=("/api/v1/organisations/?bbox=3,50,3.1,50.1",),
        count=20,
        clients=2,
    )

    assert timings.requests == 20
    assert set(timings.errors) == {"HTTP 500"}
    assert 3 <= len(timings.errors) <= 6
    assert timings.per_second > 0


def test_a_cached_endpoint_is_timed_uncached_each_request_a_new_address(httpserver):
    seen = []

    def handler(request):
        seen.append(request.query_string.decode())
        return Response("<urlset/>", status=200)

    httpserver.expect_request("/sitemap-organisations.xml").respond_with_handler(handler)
    timings = http_time(
        base_url=httpserver.url_for("").rstrip("/"),
        paths=("/sitemap-organisations.xml", "/sitemap-organisations.xml?p=3"),
        count=6,
        clients=1,
        cached=True,
    )

    assert timings.requests == 6
    assert timings.errors == []
    assert len(seen) == 8 == len(set(seen))  # two warm-ups, six timed: no address twice
    assert sum(query.startswith("p=3&bench=") for query in seen) == 4
    sitemap = {e.key: e for e in endpoints_get(detail_slugs=["x"], sitemap_pages=3)}
    assert sitemap["sitemap_page"].paths == (
        "/sitemap-organisations.xml",
        "/sitemap-organisations.xml?p=3",
    )
    assert sitemap["sitemap"].cached
    assert sitemap["sitemap_page"].cached
    assert not sitemap["home"].cached


def test_every_endpoint_of_the_issue_is_served_here_and_an_unknown_one_is_skipped():
    endpoints = endpoints_get(detail_slugs=["le-comptoir"])

    assert [endpoint.missing() for endpoint in endpoints] == [""] * len(endpoints)
    assert {e.key for e in endpoints} >= {"home", "map_city_paris", "tile_z7", "search_typo"}
    # and the pages the issue's list leaves out (every page and API is the target)
    assert {e.key for e in endpoints} >= {"sitemap", "place_network", "places", "pathway_page"}
    keys = [endpoint.key for endpoint in endpoints]
    # issue 16: the unified search is measured right beside the directory search, same word
    assert keys[keys.index("search_typo") + 1] == "unified_search_typo"
    unified = endpoints[keys.index("unified_search_typo")]
    assert unified.paths == ("/recherche/?q=recylcerie",)
    assert "n'existe pas" in Endpoint("x", "x", ("/nulle-part/",)).missing()


@pytest.mark.django_db
def test_the_sql_of_a_request_is_captured_and_replayed_on_a_raw_connection():
    make_organisation("Le Comptoir du centre", location=LILLE_CENTRE.clone())

    capture = sql_capture(path="/api/v1/organisations/?bbox=3.0,50.6,3.1,50.7")
    durations = sql_replay_time(captures=[capture], count=4)

    assert capture.status == 200
    assert any("ST_AsGeoJSON" in statement for statement in capture.statements)
    assert len(durations) == 4
    assert all(duration > 0 for duration in durations)


def test_the_url_of_the_database_keeps_its_credentials_quoted():
    database = {"USER": "cartess", "PASSWORD": "p@ss/", "HOST": "", "PORT": "", "NAME": "b"}
    assert database_url(database) == "postgis://cartess:p%40ss%2F@127.0.0.1:5432/b"


def _run(**figures) -> dict:
    machine = {
        "cpu_count": 2,
        "cpu_model": "AMD EPYC",
        "memory_mb": 4096,
        "postgresql": "PostgreSQL 15.18 on x86_64",
        "postgresql_settings": {"jit": "off", "shared_buffers": "256MB", "work_mem": "16MB"},
        "commit": "abc1234",
    }
    endpoint = {
        "key": "home",
        "label": "accueil (/)",
        "http_ms": {"p50": 10.0, "p95": 20.0, "p99": 30.0},
        "sql_ms": {"p50": 5.0, "p95": 8.0, "p99": 9.0},
        "requests_per_second": 50.0,
        "queries_per_request": 2.0,
        "ratio_p95": 2.5,
        "error_count": 0,
        "errors": [],
    }
    return {
        "organisations": 300,
        "started_at": "2026-12-04T03:00:00Z",
        "workers": 2,
        "clients": 1,
        "requests": 5,
        "load_before": [1.0, 1.0, 1.0],
        "load_after": [2.0, 1.0, 1.0],
        "machine": machine,
        "endpoints": [endpoint | figures, {"label": "tuiles", "skipped": "pas encore"}],
    }


def test_each_run_is_written_as_json_and_a_markdown_table_without_overwriting(tmp_path):
    first = results_write(run=_run(), folder=tmp_path)
    second = results_write(run=_run(), folder=tmp_path)

    assert first.name.endswith("-300.json")
    assert second.name.endswith("-300-2.json")
    assert json.loads(first.read_text(encoding="utf-8"))["endpoints"][0]["ratio_p95"] == 2.5
    table = first.with_suffix(".md").read_text(encoding="utf-8")
    assert "| accueil (/) | 10.0 | 20.0 | 30.0 | 50.0 | 8.0 | 2.0 | 2.50 | 0 |" in table
    assert "| tuiles | skipped: pas encore |" in table
    assert "jit off, shared_buffers 256MB, work_mem 16MB" in table


def test_the_report_line_names_the_errors():
    line = endpoint_line(_run(error_count=1, errors=["HTTP 500"])["endpoints"][0])
    assert "p95    20.0" in line
    assert "rapport 2.50  1 erreurs" in line
    assert line.endswith("erreur : HTTP 500")


@pytest.mark.django_db
def test_the_bench_refuses_a_database_that_is_not_a_bench_one():
    with pytest.raises(CommandError, match="refusée"):
        call_command("bench_http", count=10)


@pytest.mark.django_db
def test_gunicorn_is_stopped_even_when_the_measure_fails(tmp_path):
    env = production_env(
        url=database_url(connection.settings_dict), static_root=tmp_path / "static", workers=1
    )
    answered = []

    def measure_then_fail() -> str:
        with gunicorn_running(env=env, log=tmp_path / "log") as url:
            answered.append(requests.get(f"{url}/healthz", timeout=5).json()["database"])
            raise RuntimeError(url)

    with pytest.raises(RuntimeError) as failure:
        measure_then_fail()
    url = str(failure.value)
    assert answered == ["ok"]
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/healthz", timeout=5)
