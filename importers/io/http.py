"""The fetcher layer: HTTP with a clear User-Agent, timeouts, retries, 429 and rate limits.

Every remote source goes through a `Fetcher` (STYLE rule 6: the fetcher does the I/O).
It retries with exponential backoff on 5xx answers, timeouts and connection errors,
honours HTTP 429 and its `Retry-After` (seconds or an HTTP date, capped), waits between
requests to respect a source's rate limit, streams large files to a temporary file, and
walks paginated JSON APIs. When a source keeps failing it raises `FetchFailed`; when it
answers something else than what was asked (HTML instead of JSON, a wrong envelope, a
truncated download) it raises `BadPayload`. Both are `ImportFailed`: the run stops and
rolls back.

Time is bounded three ways: each connection and each read of the socket by the timeouts;
each request as a whole (its attempts, the waits between them and the reading of its
body, which is streamed with a check of the clock and cut at the deadline by a timer, so
a server that trickles bytes cannot hold it) by `deadline`; and everything by the run's
own deadline (importers.engine.deadline), past which the run is interrupted.

Sleeping and the clocks are injectable, so tests run against a local server in
milliseconds. Settings read (config/settings/base.py): `CARTESS_HTTP_USER_AGENT`,
`CARTESS_HTTP_TIMEOUT` (connect, read seconds), `CARTESS_HTTP_RETRIES` (attempts),
`CARTESS_HTTP_RETRY_DELAY` (first backoff, seconds), `CARTESS_HTTP_MAX_DELAY` (cap),
`CARTESS_HTTP_DEADLINE` (the whole of one request, seconds).
"""

import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

import requests
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

from importers.engine.deadline import Deadline, deadline_current
from importers.engine.errors import BadPayload, FetchFailed, ImportFailed, RunInterrupted
from importers.io.answers import (
    as_int,
    check_envelope,
    decode_json,
    json_too_large,
    looks_like_html,
)

logger = logging.getLogger(__name__)

#: Bytes read at a time when streaming a download.
CHUNK_SIZE = 1 << 16
#: A paginated walk stops there even if the API keeps giving `next` links (a loop guard).
MAX_PAGES = 10_000
#: What an answer's start looks like when a server sent an HTML page (error, login, captcha).

#: What requests raises for a URL it cannot send a request to.
_BAD_URL_ERRORS = (
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidURL,
)

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, the first backoff delay and the cap of any wait (backoff or 429)."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt number `attempt` (1, 2, 3...): doubling, capped."""
        return min(self.base_delay * 2 ** (attempt - 1), self.max_delay)


class RateLimiter:
    """At most `per_second` requests per second: a minimum interval between two requests.

    `per_second=None` (or 0) does not limit. Not thread-safe: one fetcher per run.
    """

    def __init__(
        self, per_second: float | None, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
    ) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._clock, self._sleep = clock, sleep
        self._next_at: float | None = None

    def wait(self) -> None:
        """Sleep until the next request may leave, then book the slot after it."""
        if not self.interval:
            return
        now = self._clock()
        if self._next_at is not None and now < self._next_at:
            self._sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self.interval


@dataclass(frozen=True)
class _Window:
    """The time one request may take: until `ends` (time.monotonic()), which is `seconds`
    after its start or the run's deadline `run`, whichever comes first."""

    ends: float
    seconds: float
    run: Deadline | None

    @classmethod
    def open(cls, seconds: float) -> "_Window":
        run = deadline_current()
        ends = time.monotonic() + seconds
        return cls(ends=min(ends, run.at) if run is not None else ends, seconds=seconds, run=run)

    def left(self) -> float:
        return self.ends - time.monotonic()

    def over(self, url: str, problem: str) -> ImportFailed:
        """The error of a request out of time: the run's deadline, or the request's."""
        if self.run is not None and self.run.passed():
            return RunInterrupted(self.run.message())
        return FetchFailed(
            _(
                "%(url)s : pas de réponse complète en %(seconds)s s (durée maximale d'une "
                "requête), dernière erreur : %(problem)s."
            )
            % {"url": url, "seconds": f"{self.seconds:g}", "problem": problem}
        )


class _BodyBroken(Exception):
    """The body of an answer could not be read whole (cut, truncated, too slow)."""


class Fetcher:
    """An HTTP client for one run of one source. See the module docstring for its contract."""

    def __init__(
        self,
        *,
        rate_per_second: float | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] | None = None,
        deadline: float | None = None,
        user_agent: str | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        session: requests.Session | None = None,
    ) -> None:
        self.retry = retry or RetryPolicy(
            attempts=settings.CARTESS_HTTP_RETRIES,
            base_delay=settings.CARTESS_HTTP_RETRY_DELAY,
            max_delay=settings.CARTESS_HTTP_MAX_DELAY,
        )
        self.timeout = timeout or tuple(settings.CARTESS_HTTP_TIMEOUT)
        self.deadline = deadline or settings.CARTESS_HTTP_DEADLINE
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent or settings.CARTESS_HTTP_USER_AGENT
        self.rate = RateLimiter(rate_per_second, clock=clock, sleep=sleep)
        self._sleep, self._wall_clock = sleep, wall_clock
        self.requests_sent = 0

    # --- one request, with retries -----------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        into: IO[bytes] | None = None,
        max_bytes: int | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request, retrying on 5xx, 429, timeouts, connection errors and bodies
        cut short, within the request's deadline (module docstring).

        Returns a 2xx or 3xx response whose body is read: in `response.content`, or
        written to `into` (a file, emptied before each attempt). Raises FetchFailed after
        the last attempt, when the deadline passes, or at once for a 4xx answer other
        than 429 (asking again would not change it); RunInterrupted when the run's
        deadline passes; LimitExceeded at once when the body passes `max_bytes` (asking
        again would bring the same body).
        """
        window = _Window.open(self.deadline)
        attempts, problem = self.retry.attempts, _("aucune tentative")
        for attempt in range(1, attempts + 1):
            if window.left() <= 0:
                raise window.over(url, problem)
            self.rate.wait()
            self.requests_sent += 1
            response, problem, delay = self._attempt(
                method, url, window, into, max_bytes=max_bytes, **kwargs
            )
            if response is not None:
                return response
            if window.left() <= 0:
                raise window.over(url, problem)
            if attempt == attempts:
                break
            wait = self.retry.backoff(attempt) if delay is None else delay
            if wait >= window.left():
                raise window.over(url, problem)
            logger.warning(
                "%s %s: %s; attempt %s of %s, next in %.2f s",
                method,
                url,
                problem,
                attempt,
                attempts,
                wait,
            )
            self._sleep(wait)
        raise FetchFailed(
            _("%(url)s : échec après %(n)s tentatives, dernière erreur : %(problem)s.")
            % {"url": url, "n": attempts, "problem": problem}
        )

    def _attempt(
        self,
        method: str,
        url: str,
        window: _Window,
        into: IO[bytes] | None,
        *,
        max_bytes: int | None = None,
        **kwargs: Any,
    ) -> tuple[requests.Response | None, str, float | None]:
        """Send once: (a usable response, "", None), or (None, the problem, the wait it asks
        or None) for what a retry may cure. Raises FetchFailed for a request that cannot be
        sent (an invalid URL) or a 4xx answer."""
        left = max(window.left(), 0.001)
        timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        try:
            response = self.session.request(method, url, timeout=timeout, stream=True, **kwargs)
        except (requests.Timeout, requests.ConnectionError) as error:
            logger.info("%s %s: %s", method, url, error)
            return None, _("pas de réponse (%(error)s)") % {"error": network_error(error)}, None
        except requests.RequestException as error:
            raise FetchFailed(
                _("%(url)s : requête impossible (%(error)s).")
                % {"url": url, "error": network_error(error)}
            ) from error
        problem, delay = self._judge(response, url)
        if problem is not None:
            response.close()
            return None, problem, delay
        try:
            _read_body(response, window, into, max_bytes=max_bytes)
        except _BodyBroken as broken:
            return None, str(broken), None
        return response, "", None

    def _judge(self, response: requests.Response, url: str) -> tuple[str | None, float | None]:
        """(None, None) for a usable answer; else (the problem, the wait it asks or None)."""
        status = response.status_code
        if status == 429:
            return _("trop de requêtes (HTTP 429)"), self._retry_after(response)
        if status >= 500:
            return _("erreur du serveur (HTTP %(status)s)") % {"status": status}, None
        if status >= 400:
            response.close()
            raise FetchFailed(
                _("%(url)s a refusé la requête (HTTP %(status)s).") % {"url": url, "status": status}
            )
        return None, None

    def _retry_after(self, response: requests.Response) -> float | None:
        """The wait `Retry-After` asks, in seconds (capped); None when absent or unreadable."""
        value = response.headers.get("Retry-After", "").strip()
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            seconds = (when - self._wall_clock()).total_seconds()
        return min(max(seconds, 0.0), self.retry.max_delay)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        """GET with retries (see `request`)."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        """POST with retries (see `request`)."""
        return self.request("POST", url, **kwargs)

    # --- JSON ----------------------------------------------------------------------------

    def json(self, url: str, *, method: str = "GET", **kwargs: Any) -> Any:
        """The decoded JSON answer of `url`, read through the bounded reader's limits
        (importers.io.bounded: CARTESS_IMPORT_MAX_JSON_BYTES, read no further, and
        CARTESS_IMPORT_MAX_JSON_DEPTH). Raises BadPayload when it is not JSON,
        LimitExceeded when it is too large or too deep."""
        limit = settings.CARTESS_IMPORT_MAX_JSON_BYTES
        response = self.request(method, url, max_bytes=limit, **kwargs)
        return decode_json(response.content, url)

    def pages_by_number(
        self,
        url: str,
        *,
        params: Mapping[str, Any],
        results_key: str = "results",
        total_pages_key: str = "total_pages",
        page_param: str = "page",
        max_pages: int = MAX_PAGES,
    ) -> Iterator[dict]:
        """Yield each page of a page-numbered API (page=1, 2, ... up to `total_pages`).

        Raises BadPayload when a page lacks `results_key` (a list) or `total_pages_key`.
        """
        page, last = 1, 1
        while page <= min(last, max_pages):
            payload = self.json(url, params={**params, page_param: page})
            check_envelope(payload, url, results_key=results_key, extra=(total_pages_key,))
            last = as_int(payload[total_pages_key], url, total_pages_key)
            yield payload
            page += 1

    def pages_by_link(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        results_key: str = "results",
        next_key: str = "next",
        require_next: bool = True,
    ) -> Iterator[dict]:
        """Yield each page of an API whose pages link to the next one (`{next, results}`).

        The first request carries `params`; the `next` URLs carry their own. With
        `require_next=False` a page without `next` is the last one (a plain GeoJSON
        FeatureCollection). Raises BadPayload on a wrong envelope or a `next` link seen
        before (a loop).
        """
        seen: set[str] = set()
        next_url: str | None = url
        query = dict(params or {})
        while next_url and len(seen) < MAX_PAGES:
            seen.add(next_url)
            payload = self.json(next_url, params=query or None, headers=headers)
            extra = (next_key,) if require_next else ()
            check_envelope(payload, next_url, results_key=results_key, extra=extra)
            yield payload
            next_url, query = payload.get(next_key), {}
            if next_url in seen:
                raise BadPayload(_("%(url)s : pagination en boucle.") % {"url": next_url})

    # --- files -----------------------------------------------------------------------------

    @contextmanager
    def download(self, url: str, *, suffix: str = "") -> Iterator[Path]:
        """Stream `url` to a temporary file, yield its path, delete it afterwards.

        Never holds the file in memory. Raises FetchFailed when the server keeps failing
        or the connection breaks midway, BadPayload when fewer bytes arrive than announced
        (truncated) or none at all.
        """
        with tempfile.TemporaryDirectory(prefix="cartess-") as folder:
            path = Path(folder) / f"download{suffix or _suffix(url)}"
            size = self._stream_to(url, path)
            logger.info("Downloaded %s bytes from %s", size, url)
            yield path

    def _stream_to(self, url: str, path: Path) -> int:
        with path.open("w+b") as out:
            response = self.get(url, into=out)
            written = out.tell()
            out.seek(0)
            opening = out.read(200)
        expected = response.headers.get("Content-Length")
        if written and looks_like_html(opening):
            raise BadPayload(
                _("%(url)s a renvoyé une page HTML au lieu d'un fichier.") % {"url": url}
            )
        if expected and expected.isdigit() and written != int(expected):
            raise BadPayload(
                _("%(url)s : fichier tronqué, %(got)s octets reçus sur %(expected)s.")
                % {"url": url, "got": written, "expected": expected}
            )
        if written == 0:
            raise BadPayload(_("%(url)s : fichier vide.") % {"url": url})
        return written


def _read_body(
    response: requests.Response,
    window: _Window,
    into: IO[bytes] | None,
    *,
    max_bytes: int | None = None,
) -> None:
    """Read the body of `response` whole before `window` ends: into `response.content`, or
    written to `into`. A timer shuts the socket at the window's end, so a read that waits
    for bytes that trickle in returns then. Raises _BodyBroken (cut, truncated, too slow),
    LimitExceeded as soon as more than `max_bytes` arrived (None: no limit)."""
    chunks: list[bytes] = []
    received = 0
    if into is not None:
        into.seek(0)
        into.truncate()
    timer = threading.Timer(max(window.left(), 0.0), _shutdown, args=(response,))
    timer.daemon = True
    timer.start()
    try:
        while chunk := response.raw.read1(CHUNK_SIZE, decode_content=True):
            if window.left() <= 0:
                break
            received += len(chunk)
            if max_bytes is not None and received > max_bytes:
                response.raw.close()
                raise json_too_large(response.url, max_bytes)
            if into is None:
                chunks.append(chunk)
            else:
                into.write(chunk)
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as error:
        logger.info("The answer from %s broke: %s", response.url, error)
        if window.left() > 0:
            response.raw.close()
            raise _BodyBroken(_("réponse tronquée ou connexion coupée")) from error
    finally:
        timer.cancel()
    if window.left() <= 0:
        response.raw.close()
        raise _BodyBroken(_("réponse trop lente, coupée à la durée maximale de la requête"))
    # Read to its end: what requests' own reading leaves, and the connection goes back to
    # the pool for the next request.
    response._content = b"".join(chunks) if into is None else False
    response._content_consumed = True
    response.close()


def _shutdown(response: requests.Response) -> None:
    """Wake a read blocked on a trickling answer (called by the deadline's timer)."""
    try:
        response.raw.shutdown()
    except (ValueError, RuntimeError, OSError) as error:
        logger.debug("Nothing to shut down: %s", error)


def network_error(error: requests.RequestException) -> str:
    """What went wrong on the network, in French (requests' messages are English and long;
    the log keeps them)."""
    if isinstance(error, requests.Timeout):
        return _("délai d'attente dépassé")
    if isinstance(error, requests.exceptions.ChunkedEncodingError | requests.ConnectionError):
        return _("connexion impossible ou coupée")
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return _("contenu compressé illisible")
    if isinstance(error, _BAD_URL_ERRORS):
        return _("adresse invalide")
    return _("erreur réseau %(type)s") % {"type": type(error).__name__}


def _suffix(url: str) -> str:
    """The file extension the URL's path ends with (".csv", ".zip"), or ""."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return Path(name).suffix if len(Path(name).suffix) <= 5 else ""
