"""One HTTP bench run: each endpoint's SQL captured, its HTTP timed, its SQL replayed."""

from collections.abc import Callable

import psycopg

from bench.http.client import http_time, percentiles
from bench.http.endpoints import Endpoint
from bench.http.sql_replay import sql_capture, sql_replay_time


def _ratio(http: dict, sql: dict) -> float | None:
    if http["p95"] is None or not sql["p95"]:
        return None
    return round(http["p95"] / sql["p95"], 2)


def _sql_side(captures: list, count: int) -> tuple[dict, str | None]:
    """The replay's percentiles, or empty ones with the reason it could not run."""
    refused = [c for c in captures if c.status != 200]
    if refused:
        return percentiles([]), f"Django a répondu HTTP {refused[0].status} à {refused[0].path}"
    try:
        return percentiles(sql_replay_time(captures=captures, count=count)), None
    except psycopg.Error as error:
        return percentiles([]), f"rejeu SQL impossible : {type(error).__name__} {error}"


def endpoint_measure(*, endpoint: Endpoint, base_url: str, count: int, clients: int) -> dict:
    """The figures of one endpoint: HTTP p50/p95/p99 and requests/s over `count` requests,
    its bare SQL's p50/p95/p99 over as many replays, statements per request, the ratio of
    the two p95, and the errors. An endpoint this project does not serve is skipped."""
    figures = {"key": endpoint.key, "label": endpoint.label, "paths": list(endpoint.paths)}
    if missing := endpoint.missing():
        return figures | {"skipped": missing}
    captures = [sql_capture(path=path, cached=endpoint.cached) for path in endpoint.paths]
    timings = http_time(
        base_url=base_url,
        paths=endpoint.paths,
        count=count,
        clients=clients,
        cached=endpoint.cached,
    )
    sql, sql_error = _sql_side(captures, count)
    http = percentiles(timings.latencies_ms)
    errors = sorted(set(timings.errors))[:5] + ([sql_error] if sql_error else [])
    return figures | {
        "requests": timings.requests,
        "error_count": len(timings.errors),
        "errors": errors,
        "http_ms": http,
        "requests_per_second": timings.per_second,
        "sql_ms": sql,
        "queries_per_request": round(sum(len(c.statements) for c in captures) / len(captures), 1),
        "ratio_p95": _ratio(http, sql),
    }


def http_bench_run(
    *,
    base_url: str,
    endpoints: list[Endpoint],
    count: int,
    clients: int,
    report: Callable[[dict], None],
) -> list[dict]:
    """Measure every endpoint in turn against the server at `base_url`; `report` is told
    each endpoint's figures as soon as they are known. Returns them all."""
    measured = []
    for endpoint in endpoints:
        figures = endpoint_measure(
            endpoint=endpoint, base_url=base_url, count=count, clients=clients
        )
        report(figures)
        measured.append(figures)
    return measured
