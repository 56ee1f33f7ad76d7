"""The load bench's arithmetic and verdict (`make bench` runs the real 60 s against gunicorn;
here a local test server answers for a fraction of a second)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from werkzeug import Response

from bench.load import LoadReport, load_paths, load_run


def test_the_report_gives_requests_errors_and_percentiles_and_passes_without_errors():
    report = LoadReport(duration_s=10)
    for n in range(1, 101):
        path = "/annuaire/?q=velo" if n % 2 else "/api/v1/organisations/?bbox=3,50,3.1,50.1"
        report.add(path=path, latency_ms=float(n), error=None)

    assert report.requests == 100
    assert report.passed
    assert report.percentile_ms(50) == 50.5
    assert report.percentile_ms(99) == 99.0
    assert report.lines()[:4] == [
        "durée 10 s, 100 requêtes (10.0/s), 0 erreurs",
        "p50 50.5 ms  p99 99.0 ms",
        "  annuaire      50 réponses  p50 50.0 ms  p99 98.0 ms",
        "  carte         50 réponses  p50 51.0 ms  p99 99.0 ms",
    ]


def test_one_error_fails_the_load_and_is_named_in_the_report():
    report = LoadReport(duration_s=10, latencies_ms=[12.0] * 99, errors=["/annuaire/ : HTTP 500"])

    assert report.requests == 100
    assert not report.passed
    assert report.lines()[-1] == "erreur : /annuaire/ : HTTP 500"


def test_a_load_without_any_request_does_not_pass():
    assert not LoadReport(duration_s=60).passed


def test_the_load_takes_turns_on_the_map_and_the_directory_search():
    paths = load_paths()

    assert any(path.startswith("/api/v1/organisations/?bbox=") for path in paths)
    assert any(path.startswith("/annuaire/?q=") for path in paths)
    assert len(set(paths)) == len(paths)


def test_the_clients_count_every_answer_and_every_failure(httpserver):
    answers = iter(range(1_000_000))

    def handler(request):
        # One answer in five fails, as an overloaded server would.
        return Response("{}", status=500 if next(answers) % 5 == 4 else 200)

    httpserver.expect_request("/api/v1/organisations/").respond_with_handler(handler)

    report = load_run(
        base_url=httpserver.url_for("/"),
        paths=["/api/v1/organisations/?bbox=3,50,3.1,50.1"],
        duration_s=0.3,
        clients=2,
    )

    assert report.requests > 5
    assert len(report.errors) == pytest.approx(report.requests / 5, abs=2)
    assert set(report.errors) == {"/api/v1/organisations/ : HTTP 500"}
    assert not report.passed


@pytest.mark.django_db
def test_the_bench_refuses_a_database_that_is_not_a_bench_database():
    with pytest.raises(CommandError, match="n'est pas une base de mesure"):
        call_command("bench_load", "--duration", "1")
