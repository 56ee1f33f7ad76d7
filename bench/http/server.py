"""gunicorn under the production settings, on a free local port, for the HTTP bench.

The server is prepared as a deployment is (`collectstatic` for the manifest storage,
`createcachetable` for the database cache) and reads the bench's database; it runs over
plain HTTP on 127.0.0.1, so the HTTPS redirect and secure cookies are turned off.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests
from django.conf import settings

#: How long gunicorn may take to answer /healthz once started (seconds).
STARTUP_TIMEOUT_S = 90.0
#: How long gunicorn may take to stop gracefully before it is killed (seconds).
STOP_TIMEOUT_S = 30.0


class ServerError(Exception):
    """gunicorn could not be prepared, did not start or did not answer /healthz."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(database: dict) -> str:
    """The postgis:// URL of a Django database settings dict (its NAME as connected now)."""
    credentials = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgis://{credentials}@{host}/{database['NAME']}"


def production_env(*, url: str, static_root: Path, workers: int) -> dict[str, str]:
    """The environment of gunicorn and its preparation: `config.settings.production` with a
    throw-away secret key, local hosts, no HTTPS redirect, the bench's database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": url,
        "GUNICORN_WORKERS": str(workers),
    }


def production_prepare(*, env: dict[str, str], log: Path) -> None:
    """Run what a deployment runs before gunicorn starts: the static files with their
    manifest, and the table of the shared database cache. Raises ServerError on failure."""
    for command in (["collectstatic", "--noinput"], ["createcachetable"]):
        with log.open("a", encoding="utf-8") as output:
            done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", *command],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode:
            raise ServerError(f"« manage.py {command[0]} » a échoué : voir {log}.")


def _healthz_wait(server: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ServerError(f"gunicorn s'est arrêté au démarrage : voir {log}.")
        try:
            if requests.get(f"{base_url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise ServerError(f"gunicorn ne répond pas sur /healthz après {STARTUP_TIMEOUT_S:.0f} s.")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def gunicorn_running(*, env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn (config/gunicorn_conf.py, its workers from GUNICORN_WORKERS) on a free port
    of 127.0.0.1, answering /healthz; yields its base URL and stops it on leaving, whatever
    happened. Its access log and errors go to `log`. Raises ServerError when it does not
    start."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn_conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "config.wsgi"]
    with log.open("a", encoding="utf-8") as output:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _healthz_wait(server, base_url, log)
        yield base_url
    finally:
        _stop(server)
