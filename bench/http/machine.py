"""What a bench figure was measured on: the machine, and PostgreSQL as configured."""

import os
import platform
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

#: PostgreSQL settings the issue names as shaping these figures.
PG_SETTINGS = (
    "jit",
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "max_parallel_workers_per_gather",
    "random_page_cost",
)


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return platform.processor()
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor()


def _memory_mb() -> int | None:
    try:
        lines = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    total = next((line.split()[1] for line in lines if line.startswith("MemTotal:")), None)
    return int(total) // 1024 if total else None


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, fixed arguments
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def load_average() -> list[float]:
    """The load average over 1, 5 and 15 minutes."""
    return [round(value, 2) for value in os.getloadavg()]


def machine_describe() -> dict:
    """CPUs (count, model), memory, the PostgreSQL version with the settings of PG_SETTINGS,
    PostGIS, Python and the commit measured. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version(), postgis_lib_version(), "
            + ", ".join(f"current_setting('{name}')" for name in PG_SETTINGS)
        )
        version, postgis, *values = cursor.fetchone()
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_mb": _memory_mb(),
        "postgresql": version,
        "postgis": postgis,
        "postgresql_settings": dict(zip(PG_SETTINGS, values, strict=True)),
        "python": platform.python_version(),
        "commit": _commit(),
    }
