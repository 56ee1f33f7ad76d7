"""The local HTTP server of `manage.py bench_sync`: the payload set's routes, in a thread."""

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from bench.sync_payloads import Asked, Route


def _handler(routes: dict[str, Route]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, body: bytes = b"") -> None:
            parts = urlsplit(self.path)
            route = routes.get(parts.path)
            if route is None:
                status, content_type, body = 404, "text/plain", b"not found"
            else:
                asked = Asked(
                    query=dict(parse_qsl(parts.query)),
                    method=self.command,
                    body=body,
                    content_type=self.headers.get("Content-Type", ""),
                )
                status, content_type, body = route(asked)
            length = body.stat().st_size if isinstance(body, Path) else len(body)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if isinstance(body, Path):
                with body.open("rb") as stream:
                    shutil.copyfileobj(stream, self.wfile)
            else:
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(self.rfile.read(length))

        def log_message(self, format: str, *args) -> None:
            return  # quiet: the bench prints its own report

    return Handler


@contextmanager
def payload_server(routes: dict[str, Route]) -> Iterator[str]:
    """Serve `routes` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
