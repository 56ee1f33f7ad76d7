"""The production proxy, run here without Docker: docker-compose's nginx configuration
(config/nginx/nginx.conf) with only its addresses, pid file and temporary folders changed,
in front of a local backend. Used by `bench_load --through-nginx` and the slow-clients test."""

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX_CONF = Path(__file__).resolve().parents[1] / "config" / "nginx" / "nginx.conf"
#: nginx-light, installed by `make test` and `make demo` (config/dev/system-deps.sh);
#: /usr/sbin is not on an ordinary user's PATH.
NGINX_BIN = shutil.which("nginx") or "/usr/sbin/nginx"
STARTUP_TIMEOUT_S = 10


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_conf_local(*, upstream_port: int, listen_port: int, workdir: Path) -> str:
    """nginx.conf with the backend at 127.0.0.1:`upstream_port`, listening on
    127.0.0.1:`listen_port`, its pid file and temporary folders in `workdir`."""
    temp = "".join(
        f"    {kind}_temp_path {workdir / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        NGINX_CONF.read_text(encoding="utf-8")
        .replace("server web:8000;", f"server 127.0.0.1:{upstream_port};")
        .replace("listen 80 default_server;", f"listen 127.0.0.1:{listen_port} default_server;")
        .replace("pid /tmp/nginx.pid;", f"pid {workdir / 'nginx.pid'};")
        .replace("http {", "http {\n" + temp, 1)
    )


@contextmanager
def local_nginx(
    *, upstream_port: int, workdir: Path, ready_path: str = "/healthz"
) -> Iterator[str]:
    """Run the production nginx in front of 127.0.0.1:`upstream_port`; yield its base URL
    once `ready_path` answers through it. Stopped on exit, whatever happens.

    Raises OSError when it does not answer within STARTUP_TIMEOUT_S.
    """
    listen = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(
        nginx_conf_local(upstream_port=upstream_port, listen_port=listen, workdir=workdir),
        encoding="utf-8",
    )
    command = [NGINX_BIN, "-p", str(workdir), "-c", str(conf), "-e", "stderr", "-g", "daemon off;"]
    server = subprocess.Popen(  # noqa: S603 - a fixed binary and our own file
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(f"{base}{ready_path}", timeout=1).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
