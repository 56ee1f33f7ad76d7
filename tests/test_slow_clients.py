"""Slow clients cannot stop the server (issue 14): the production nginx configuration
(config/nginx/nginx.conf), run here in front of a backend that serves one request at a
time, holds 30 uploads trickling their bodies without handing any to the backend, which
keeps answering everyone else. A local stand-in for docker-compose's proxy and gunicorn
(no Docker here): the same nginx file, only its addresses and temporary folders changed."""

import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

NGINX = (Path(__file__).resolve().parents[1] / "config" / "nginx" / "nginx.conf").read_text()
#: nginx-light, installed by `make test` (config/dev/system-deps.sh); /usr/sbin is not on an
#: ordinary user's PATH. As tests/test_production_stack.py finds it.
NGINX_BIN = shutil.which("nginx") or "/usr/sbin/nginx"


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxy(tmp_path, backend):
    port, seen = backend
    listen = _free_port()
    temp = "".join(
        f"    {kind}_temp_path {tmp_path / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        NGINX.replace("server web:8000;", f"server 127.0.0.1:{port};")
        .replace("listen 80 default_server;", f"listen 127.0.0.1:{listen} default_server;")
        .replace("pid /tmp/nginx.pid;", f"pid {tmp_path / 'nginx.pid'};")
        .replace("http {", "http {\n" + temp, 1)
    )
    command = [NGINX_BIN, "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"]
    server = subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        seen.clear()
        yield base, listen, seen
    finally:
        server.terminate()
        server.wait(timeout=10)


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
