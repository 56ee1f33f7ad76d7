"""The fetcher against a real local HTTP server: retries, 429, rate limit, pages, downloads.

No test sleeps for real: the fetcher's sleep is a list that records the waits asked.
"""

from datetime import UTC, datetime

import pytest
import requests
from werkzeug import Response

from importers.engine.errors import BadPayload, FetchFailed, ImportFailed
from importers.io.http import Fetcher, RateLimiter, RetryPolicy


class FakeTime:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fetcher(fake_time) -> Fetcher:
    return Fetcher(
        retry=RetryPolicy(attempts=3, base_delay=0.5, max_delay=30),
        timeout=(0.5, 0.5),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        wall_clock=lambda: datetime(2026, 11, 21, 12, 0, 0, tzinfo=UTC),
    )


def test_requests_carry_the_cartess_user_agent(httpserver, fetcher, settings):
    httpserver.expect_request(
        "/ping", headers={"User-Agent": settings.CARTESS_HTTP_USER_AGENT}
    ).respond_with_json({"ok": True})
    assert fetcher.json(httpserver.url_for("/ping")) == {"ok": True}


def test_a_server_error_is_retried_with_growing_waits_then_succeeds(httpserver, fetcher, fake_time):
    httpserver.expect_ordered_request("/data").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/data").respond_with_data("boom", status=503)
    httpserver.expect_ordered_request("/data").respond_with_json({"results": []})
    assert fetcher.json(httpserver.url_for("/data")) == {"results": []}
    assert fake_time.waits == [0.5, 1.0]


def test_a_source_that_keeps_failing_stops_the_run_with_a_clear_error(httpserver, fetcher):
    httpserver.expect_request("/data").respond_with_data("boom", status=502)
    with pytest.raises(FetchFailed, match=r"échec après 3 tentatives.*HTTP 502"):
        fetcher.get(httpserver.url_for("/data"))
    assert isinstance(FetchFailed("x"), ImportFailed)


def test_429_waits_the_seconds_of_retry_after(httpserver, fetcher, fake_time):
    httpserver.expect_ordered_request("/api").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json({"results": [1]})
    assert fetcher.json(httpserver.url_for("/api")) == {"results": [1]}
    assert fake_time.waits == [2.0]


def test_429_with_an_http_date_waits_until_then_and_a_huge_wait_is_capped(
    httpserver, fetcher, fake_time
):
    httpserver.expect_ordered_request("/api").respond_with_data(
        "", status=429, headers={"Retry-After": "Sat, 21 Nov 2026 12:00:07 GMT"}
    )
    httpserver.expect_ordered_request("/api").respond_with_data(
        "", status=429, headers={"Retry-After": "86400"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json({})
    fetcher.get(httpserver.url_for("/api"))
    assert fake_time.waits == [7.0, 30.0]


def test_a_client_error_is_not_retried(httpserver, fetcher, fake_time):
    httpserver.expect_request("/missing").respond_with_data("not found", status=404)
    with pytest.raises(FetchFailed, match="HTTP 404"):
        fetcher.get(httpserver.url_for("/missing"))
    assert fake_time.waits == []
    assert len(httpserver.log) == 1


def test_a_timeout_is_retried_then_reported(httpserver, fake_time):
    def too_slow(request):
        import time

        time.sleep(0.3)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(too_slow)
    fetcher = Fetcher(
        retry=RetryPolicy(attempts=2, base_delay=0.01),
        timeout=(0.1, 0.05),
        sleep=fake_time.sleep,
    )
    with pytest.raises(FetchFailed, match="pas de réponse"):
        fetcher.get(httpserver.url_for("/slow"))
    assert fake_time.waits == [0.01]


def test_a_refused_connection_is_retried_then_reported(fake_time):
    fetcher = Fetcher(retry=RetryPolicy(attempts=2, base_delay=0.01), sleep=fake_time.sleep)
    with pytest.raises(FetchFailed, match="échec après 2 tentatives"):
        fetcher.get("http://127.0.0.1:9/nothing-listens-here")


def test_html_instead_of_json_is_a_bad_payload(httpserver, fetcher):
    httpserver.expect_request("/api").respond_with_data(
        "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    with pytest.raises(BadPayload, match="page HTML au lieu de JSON"):
        fetcher.json(httpserver.url_for("/api"))


def test_the_rate_limiter_spaces_requests():
    fake = FakeTime()
    limiter = RateLimiter(7, clock=fake.clock, sleep=fake.sleep)
    for _ in range(8):
        limiter.wait()
    assert len(fake.waits) == 7
    assert fake.waits[0] == pytest.approx(1 / 7)
    assert fake.now - 100.0 == pytest.approx(1.0)


def test_a_rate_limited_fetcher_never_sends_more_than_its_rate(httpserver, fake_time):
    httpserver.expect_request("/api").respond_with_json({})
    fetcher = Fetcher(rate_per_second=7, sleep=fake_time.sleep, clock=fake_time.clock)
    for _ in range(15):
        fetcher.get(httpserver.url_for("/api"))
    assert fake_time.now - 100.0 == pytest.approx(2.0)


def test_numbered_pages_are_walked_to_the_last_one(httpserver, fetcher):
    for page in (1, 2, 3):
        httpserver.expect_request(
            "/search", query_string={"q": "x", "page": str(page)}
        ).respond_with_json({"results": [page], "page": page, "total_pages": 3})
    pages = list(fetcher.pages_by_number(httpserver.url_for("/search"), params={"q": "x"}))
    assert [page["results"] for page in pages] == [[1], [2], [3]]


def test_linked_pages_are_followed_until_next_is_null(httpserver, fetcher):
    second = httpserver.url_for("/aids/") + "?page=2"
    httpserver.expect_request("/aids/", query_string="page=2").respond_with_json(
        {"count": 3, "next": None, "previous": None, "results": [{"id": 3}]}
    )
    httpserver.expect_request("/aids/").respond_with_json(
        {"count": 3, "next": second, "previous": None, "results": [{"id": 1}, {"id": 2}]}
    )
    pages = list(fetcher.pages_by_link(httpserver.url_for("/aids/")))
    assert [item["id"] for page in pages for item in page["results"]] == [1, 2, 3]


def test_a_page_with_the_wrong_envelope_is_a_bad_payload(httpserver, fetcher):
    httpserver.expect_request("/aids/").respond_with_json({"data": []})
    with pytest.raises(BadPayload, match="pas de liste « results »"):
        list(fetcher.pages_by_link(httpserver.url_for("/aids/")))


def test_a_pagination_loop_is_detected(httpserver, fetcher):
    url = httpserver.url_for("/loop")
    httpserver.expect_request("/loop").respond_with_json({"next": url, "results": []})
    with pytest.raises(BadPayload, match="boucle"):
        list(fetcher.pages_by_link(url))


def test_a_download_streams_to_a_temporary_file_removed_afterwards(httpserver, fetcher):
    body = b"id;titre\n" + b"W000000000;x\n" * 20_000
    httpserver.expect_request("/rna.csv").respond_with_data(body)
    with fetcher.download(httpserver.url_for("/rna.csv")) as path:
        assert path.suffix == ".csv"
        assert path.read_bytes() == body
    assert not path.exists()


def test_a_truncated_download_is_refused(httpserver, fetcher):
    def truncated(request):
        # A generator body: the server sends the announced length but only 3 bytes.
        return Response(iter([b"abc"]), headers={"Content-Length": "10"})

    httpserver.expect_request("/big.csv").respond_with_handler(truncated)
    with (
        pytest.raises((BadPayload, FetchFailed), match=r"tronqué|interrompu"),
        fetcher.download(httpserver.url_for("/big.csv")),
    ):
        pass


def test_an_empty_download_is_refused(httpserver, fetcher):
    httpserver.expect_request("/empty.csv").respond_with_data(b"")
    with (
        pytest.raises(BadPayload, match="vide"),
        fetcher.download(httpserver.url_for("/empty.csv")),
    ):
        pass


def test_a_session_can_be_given(httpserver):
    session = requests.Session()
    httpserver.expect_request("/x").respond_with_json([])
    assert Fetcher(session=session).json(httpserver.url_for("/x")) == []
