"""The benchmarks are a development app: the production settings never install them."""

import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.core.management import get_commands


def test_the_bench_commands_are_there_in_development_and_tests():
    assert "bench" in settings.INSTALLED_APPS
    commands = get_commands()
    assert {name: commands.get(name) for name in ("bench_map", "bench_load", "bench_import")} == {
        "bench_map": "bench",
        "bench_load": "bench",
        "bench_import": "bench",
    }


def test_the_production_settings_do_not_install_the_bench():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "cartess.example.org",
    }
    code = "from django.conf import settings; print('bench' in settings.INSTALLED_APPS)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[-1] == "False"
