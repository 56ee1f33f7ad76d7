"""`manage.py bench_load`: a bounded load on the map API and the directory search, over HTTP.

A few clients send requests without pause for a fixed time to an application server (the
command starts gunicorn as production does); every answer other than HTTP 200, and every
failed or timed-out connection, is an error. The report gives requests, errors, p50 and p99;
the bench fails when one request failed.
"""

import http.client
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bench.map_search import CITY_BBOX, REGION_BBOX, SEARCHES, _jittered

#: How long a client waits for one answer before counting it an error (gunicorn's own
#: worker timeout is 30 s).
REQUEST_TIMEOUT_S = 30.0


@dataclass
class LoadReport:
    """What a load run saw: latencies of the answered requests (ms) and the errors."""

    duration_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: The latencies again, by endpoint ("carte", "annuaire").
    by_endpoint: dict[str, list[float]] = field(default_factory=dict)

    def add(self, *, path: str, latency_ms: float | None, error: str | None) -> None:
        """Counts one request: its latency when answered, else its error."""
        if error is not None:
            self.errors.append(error)
            return
        self.latencies_ms.append(latency_ms)
        self.by_endpoint.setdefault(endpoint_of(path), []).append(latency_ms)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + len(self.errors)

    @property
    def passed(self) -> bool:
        """At least one request, and not one error."""
        return self.requests > 0 and not self.errors

    def percentile_ms(self, percent: int, endpoint: str | None = None) -> float:
        """The `percent`-th percentile of the latencies, of one endpoint when given (0.0
        without any)."""
        latencies = self.latencies_ms if endpoint is None else self.by_endpoint[endpoint]
        if len(latencies) < 2:
            return round(latencies[0], 1) if latencies else 0.0
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        return round(cuts[percent - 1], 1)

    def lines(self) -> list[str]:
        """The report, in French, one fact a line; the first distinct errors last."""
        rate = self.requests / self.duration_s if self.duration_s else 0.0
        lines = [
            f"durée {self.duration_s:.0f} s, {self.requests} requêtes ({rate:.1f}/s), "
            f"{len(self.errors)} erreurs",
            f"p50 {self.percentile_ms(50):.1f} ms  p99 {self.percentile_ms(99):.1f} ms",
        ]
        lines += [
            f"  {endpoint:<9} {len(latencies):>6} réponses  "
            f"p50 {self.percentile_ms(50, endpoint):.1f} ms  "
            f"p99 {self.percentile_ms(99, endpoint):.1f} ms"
            for endpoint, latencies in sorted(self.by_endpoint.items())
        ]
        lines += [f"erreur : {error}" for error in sorted(set(self.errors))[:5]]
        return lines


def endpoint_of(path: str) -> str:
    """ "carte" for the map API, "annuaire" for the directory's search."""
    return "carte" if path.startswith("/api/v1/organisations/") else "annuaire"


def load_paths() -> list[str]:
    """The requests the clients take turns on: the map of a city and of a region (panned a
    little each time, as a visitor does) and the directory's search page."""
    paths = []
    for index in range(7):
        for bbox in (*CITY_BBOX.values(), *REGION_BBOX.values()):
            paths.append(f"/api/v1/organisations/?{urlencode({'bbox': _jittered(bbox, index)})}")
    paths += [f"/annuaire/?{urlencode({'q': query})}" for query in SEARCHES]
    return paths


def _request(base_url: str, path: str) -> tuple[float | None, str | None]:
    """(latency in ms, None) for an HTTP 200 read to its end, else (None, what went wrong)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT_S)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": "*/*"})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:
        return None, f"{path.split('?')[0]} : {type(error).__name__} {error}"
    finally:
        connection.close()
    if response.status != 200:
        return None, f"{path.split('?')[0]} : HTTP {response.status}"
    return (time.perf_counter() - started) * 1000, None


def load_run(*, base_url: str, paths: list[str], duration_s: float, clients: int) -> LoadReport:
    """`clients` clients request `paths` in turn, without pause, for `duration_s` seconds.

    Returns the report of every request sent; raises nothing (a failure is an error of the
    report). A request under way when the time is up is waited for and counted.
    """
    report = LoadReport(duration_s=duration_s)
    lock = threading.Lock()
    deadline = time.monotonic() + duration_s

    def client(number: int) -> None:
        index = number
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            latency, error = _request(base_url, path)
            index += clients
            with lock:
                report.add(path=path, latency_ms=latency, error=error)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    return report
