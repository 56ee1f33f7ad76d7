"""Production settings pass Django's deployment checklist, but for the one documented choice."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_deploy_check(**extra_env: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "cartess.example.org",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_raise_only_the_documented_hsts_preload_warning():
    result = run_deploy_check()
    assert result.returncode == 0, result.stderr
    reported = [line for line in result.stderr.splitlines() if line.startswith("?: (")]
    assert [line.split(")")[0] + ")" for line in reported] == ["?: (security.W021)"]


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_deploy_check(DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_cache_is_shared_by_every_worker():
    """Per-IP limits and throttling count across gunicorn workers: a database cache by default."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "cartess.example.org",
    }
    env.pop("DJANGO_CACHE_URL", None)
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"
