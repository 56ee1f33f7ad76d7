"""The production stack of docker-compose.yml: nginx in front, gunicorn behind it and not
published, a worker for the background jobs and the schedule, health checks everywhere."""

import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
NGINX = (ROOT / "config" / "nginx" / "nginx.conf").read_text(encoding="utf-8")
GUNICORN = runpy.run_path(str(ROOT / "config" / "gunicorn_conf.py"))


def nginx_value(directive: str) -> str:
    """The value of `directive` in nginx.conf (its only or first occurrence)."""
    found = re.search(rf"^\s*{directive}\s+([^;]+);", NGINX, re.MULTILINE)
    assert found, directive
    return found.group(1).strip()


def seconds(value: str) -> int:
    return int(value.removesuffix("s"))


def test_only_the_proxy_is_published_and_it_forwards_to_gunicorn():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert SERVICES["proxy"]["image"].startswith("nginx:")
    assert "./config/nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in SERVICES["proxy"]["volumes"]
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert SERVICES["web"]["expose"] == ["8000"]
    assert nginx_value("server") == "web:8000"


def test_gunicorn_runs_threaded_workers_with_a_timeout_shorter_than_the_proxys():
    assert SERVICES["web"]["command"] == [
        "gunicorn",
        "--config",
        "config/gunicorn_conf.py",
        "config.wsgi",
    ]
    assert GUNICORN["worker_class"] == "gthread"
    assert GUNICORN["threads"] > 1
    assert 0 < GUNICORN["timeout"] < seconds(nginx_value("proxy_read_timeout"))


def test_the_proxy_bounds_size_and_time_of_every_request():
    assert nginx_value("client_max_body_size") == "3m"
    assert seconds(nginx_value("client_header_timeout")) <= 15
    assert seconds(nginx_value("client_body_timeout")) <= 30
    assert seconds(nginx_value("send_timeout")) <= 60
    assert seconds(nginx_value("proxy_connect_timeout")) <= 10
    assert nginx_value("proxy_buffering") == "on"
    assert nginx_value("proxy_request_buffering") == "on"


def test_the_proxy_replaces_the_clients_forwarded_headers():
    headers = dict(re.findall(r"^\s*proxy_set_header\s+(\S+)\s+([^;]+);", NGINX, re.MULTILINE))
    assert headers["X-Forwarded-For"] == "$remote_addr"  # replaced, never appended
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-Host"] == '""'
    assert "$proxy_add_x_forwarded_for" not in NGINX


def test_the_proxy_serves_the_static_files_collected_into_the_shared_volume():
    assert "static:/srv/static:ro" in SERVICES["proxy"]["volumes"]
    assert "static:/app/staticfiles" in SERVICES["migrate"]["volumes"]
    assert "collectstatic" in " ".join(SERVICES["migrate"]["command"])
    assert nginx_value("alias") == "/srv/static/"


def test_a_worker_runs_the_background_jobs_and_the_schedule():
    worker = SERVICES["worker"]
    assert worker["command"][:4] == ["python", "manage.py", "procrastinate", "worker"]
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", ["db", "web", "worker", "proxy"])
def test_every_long_running_service_has_a_health_check(name):
    assert SERVICES[name]["healthcheck"]["test"]


def test_nginx_accepts_the_configuration(tmp_path):
    # The upstream's name only resolves on the compose network.
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        NGINX.replace("server web:8000;", "server 127.0.0.1:8000;").replace(
            "pid /tmp/nginx.pid;", f"pid {tmp_path / 'nginx.pid'};"
        )
    )
    result = subprocess.run(
        [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-t",
            "-e",
            "stderr",
            "-p",
            str(tmp_path),
            "-c",
            str(conf),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "test is successful" in result.stderr, result.stderr


def test_a_first_fill_from_the_live_sources_is_one_command_away():
    sync = SERVICES["sync"]
    assert sync["command"] == ["python", "manage.py", "sync"]
    assert sync["profiles"] == ["online"]  # never started by a plain `docker compose up`
    assert sync["depends_on"]["import"]["condition"] == "service_completed_successfully"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    online = makefile.split("\ndemo-online:", 1)[1].split("\n\n", 1)[0]
    assert online.index("import --all") < online.index("sync") < online.index("runserver")
