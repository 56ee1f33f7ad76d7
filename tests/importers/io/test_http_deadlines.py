"""Live sources bounded in time: a server that trickles, stalls, resets or truncates makes a
request fail in about the seconds the settings give, never minutes. Real sockets, real
clocks, small settings: each test takes a second or two."""

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug import Response

from importers.engine.deadline import run_deadline
from importers.engine.errors import FetchFailed, RunInterrupted
from importers.io.http import Fetcher, RetryPolicy


def trickle(request) -> Response:
    """One byte every 0.1 s for 10 s: each read is quick, the answer never ends in time."""

    def drip() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.1)
            yield b"x"

    return Response(drip(), headers={"Content-Length": "100"})


def stall(request) -> Response:
    time.sleep(1.5)
    return Response("{}")


@contextmanager
def resetting_server() -> Iterator[str]:
    """A server that accepts each connection and resets it at once (TCP RST)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _address = server.accept()
            except TimeoutError:
                continue
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/search/csv/"
    finally:
        stop.set()
        thread.join()
        server.close()


def fetcher(**options) -> Fetcher:
    return Fetcher(
        retry=RetryPolicy(attempts=options.pop("attempts", 3), base_delay=0.05, max_delay=0.2),
        timeout=options.pop("timeout", (0.5, 0.5)),
        **options,
    )


def test_a_trickling_answer_is_cut_at_the_request_deadline(httpserver):
    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match=r"pas de réponse complète en 1 s.*trop lente"):
        fetcher(deadline=1.0).get(httpserver.url_for("/trickle"))
    assert time.monotonic() - started < 2


def test_a_trickling_download_is_cut_too(httpserver):
    httpserver.expect_request("/rna.csv").respond_with_handler(trickle)
    started = time.monotonic()
    with (
        pytest.raises(FetchFailed, match="durée maximale d'une requête"),
        fetcher(deadline=0.8).download(httpserver.url_for("/rna.csv")),
    ):
        pass
    assert time.monotonic() - started < 2


def test_a_stalled_server_is_not_waited_for_at_each_attempt(httpserver):
    httpserver.expect_request("/stall").respond_with_handler(stall)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="durée maximale"):
        fetcher(attempts=10, timeout=(0.5, 0.4), deadline=1.0).get(httpserver.url_for("/stall"))
    assert time.monotonic() - started < 2


def test_a_resetting_server_fails_after_the_retries_in_well_under_a_second():
    started = time.monotonic()
    with resetting_server() as url, pytest.raises(FetchFailed, match="échec après 3 tentatives"):
        fetcher(deadline=5.0).post(url, data={"columns": "adresse"})
    assert time.monotonic() - started < 1.5


def test_a_truncated_answer_is_retried_then_refused(httpserver):
    httpserver.expect_request("/cut").respond_with_handler(
        lambda request: Response(iter([b"abc"]), headers={"Content-Length": "10"})
    )
    with pytest.raises(FetchFailed, match="tronquée"):
        fetcher(deadline=5.0).get(httpserver.url_for("/cut"))
    assert [request.path for request, _answer in httpserver.log].count("/cut") == 3


def test_the_run_s_deadline_bounds_every_request_of_the_run(httpserver):
    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    started = time.monotonic()
    with run_deadline(0.7), pytest.raises(RunInterrupted, match="durée maximale de l'import"):
        fetcher(deadline=60.0).get(httpserver.url_for("/trickle"))
    assert time.monotonic() - started < 1.5


def test_an_answer_read_in_time_is_whole(httpserver):
    body = b"id,adresse\n" + b"1,235 b Paul Painleve\n" * 20_000
    httpserver.expect_request("/ok").respond_with_data(body)
    response = fetcher(deadline=5.0).get(httpserver.url_for("/ok"))
    assert response.content == body


def test_the_fetcher_reads_the_request_deadline_setting(settings):
    settings.CARTESS_HTTP_DEADLINE = 2.5
    assert Fetcher().deadline == 2.5
