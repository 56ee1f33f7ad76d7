"""The HTTP side of the bench: N requests to an endpoint through keep-alive sessions."""

import itertools
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

#: How long the client waits for one answer (gunicorn's own worker timeout is 60 s).
REQUEST_TIMEOUT_S = 60.0


@dataclass
class Timings:
    """Latencies (ms) of the answered requests, the failures, and the wall time of the run."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + len(self.errors)

    @property
    def per_second(self) -> float:
        return round(self.requests / self.seconds, 1) if self.seconds else 0.0


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50, p95 and p99 of `values` (ms, one decimal); None each when there is none."""
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    if len(values) == 1:
        return dict.fromkeys(("p50", "p95", "p99"), round(values[0], 1))
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def _get(session: requests.Session, url: str) -> tuple[float | None, str | None]:
    """(latency in ms, None) for an HTTP 200 whose body was read to its end, else (None,
    what went wrong)."""
    started = time.perf_counter()
    try:
        response = session.get(url, timeout=REQUEST_TIMEOUT_S)
    except requests.RequestException as error:
        return None, f"{type(error).__name__} {error}"
    if response.status_code != 200:
        return None, f"HTTP {response.status_code}"
    return (time.perf_counter() - started) * 1000, None


#: The numbers `uncached` gives, one per request of the run (threads share it: `next` on an
#: itertools.count is atomic in CPython).
_UNCACHED = itertools.count()


def uncached(path: str) -> str:
    """`path` with a query parameter no other request had (`bench=<n>`): a response the
    server keeps in its cache (the sitemap's files) is then written afresh."""
    return f"{path}{'&' if '?' in path else '?'}bench={next(_UNCACHED)}"


def http_time(
    *, base_url: str, paths: tuple[str, ...], count: int, clients: int, cached: bool = False
) -> Timings:
    """Send `count` GET requests, taking `paths` in turn, from `clients` clients without
    pause, each with its own keep-alive session; every path is requested once first (not
    timed) to open the connections and warm the workers. `cached`: the server keeps these
    answers in its cache, and every request is made `uncached` to time the work. Raises
    nothing: a failure is an error of the result."""
    timings, lock = Timings(), threading.Lock()
    starts, ends = [], []
    address = (lambda path: base_url + uncached(path)) if cached else (lambda p: base_url + p)

    def client(number: int) -> None:
        with requests.Session() as session:
            for path in paths:
                _get(session, address(path))
            starts.append(time.perf_counter())
            for index in range(number, count, clients):
                latency, error = _get(session, address(paths[index % len(paths)]))
                with lock:
                    if error is None:
                        timings.latencies_ms.append(latency)
                    else:
                        timings.errors.append(error)
            ends.append(time.perf_counter())

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    timings.seconds = max(ends) - min(starts)
    return timings
