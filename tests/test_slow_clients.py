"""Slow clients cannot stop the server (issue 14): the production nginx configuration
(config/nginx/nginx.conf), run here in front of a backend that serves one request at a
time, holds 30 uploads trickling their bodies without handing any to the backend, which
keeps answering everyone else. A local stand-in for docker-compose's proxy and gunicorn
(no Docker here): the same nginx file, only its addresses and temporary folders changed."""

import socket
import threading
import time
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from bench.nginx import local_nginx


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def backend():
    """A backend serving one request at a time; `seen` lists the paths it received."""
    seen = []

    def app(environ, start_response):
        seen.append(environ["PATH_INFO"])
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port, seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(tmp_path, backend):
    port, seen = backend
    with local_nginx(upstream_port=port, workdir=tmp_path) as base:
        seen.clear()
        yield base, int(base.rsplit(":", 1)[1]), seen


def test_trickling_uploads_hold_no_backend_and_others_are_answered(proxy):
    base, port, seen = proxy
    slow = []
    try:
        for _ in range(30):
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(
                b"POST /televersement/ HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\nnom"
            )
            slow.append(client)
        time.sleep(0.5)
        for _ in range(10):
            started = time.monotonic()
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:  # noqa: S310
                assert answer.status == 200
            assert time.monotonic() - started < 2
        assert seen == ["/healthz"] * 10  # no upload reached the backend unfinished
    finally:
        for client in slow:
            client.close()
