"""`manage.py bench_load`: 60 s of load on the map API and the directory search through
gunicorn, started here on the bench database (with `--through-nginx`, through the production
proxy's own configuration in front of it, as docker-compose runs them); fails on a single
error."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.load import load_paths, load_run
from bench.nginx import local_nginx

STARTUP_TIMEOUT_S = 30


class Command(BaseCommand):
    help = (
        "Lance gunicorn sur la base de mesure (son nom doit contenir « bench »), envoie "
        "pendant 60 s des requêtes à la carte et à la recherche de l'annuaire, et donne "
        "requêtes, erreurs, p50 et p99 ; échoue à la première erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=60.0, help="secondes de charge")
        parser.add_argument("--clients", type=int, default=6, help="clients simultanés")
        parser.add_argument("--workers", type=int, default=3, help="workers gunicorn")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument(
            "--through-nginx",
            action="store_true",
            help="charger à travers nginx (config/nginx/nginx.conf) devant gunicorn",
        )

    def handle(self, *args, **options):
        """Start gunicorn, wait for it, load it, stop it, report.

        Raises CommandError when the database is not a bench database, when gunicorn does
        not answer within 30 s, or when one request of the load failed.
        """
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            raise CommandError(
                f"La base « {name} » n'est pas une base de mesure : "
                "utilisez DATABASE_URL=…/cartess_bench_map."
            )
        base_url = f"http://127.0.0.1:{options['port']}"
        server = self._gunicorn(options["port"], options["workers"])
        try:
            self._wait_for(server, base_url)
            with ExitStack() as stack:
                front = "gunicorn"
                if options["through_nginx"]:
                    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                    base_url = stack.enter_context(
                        local_nginx(upstream_port=options["port"], workdir=workdir)
                    )
                    front = "nginx puis gunicorn"
                report = self._load(options, base_url, f"{front} ({options['workers']} workers)")
        finally:
            server.terminate()
            server.wait(timeout=30)
        for line in report.lines():
            self.stdout.write(line)
        if not report.passed:
            raise CommandError(f"Charge refusée : {len(report.errors)} erreurs (0 attendue).")

    def _load(self, options, base_url: str, front: str):
        name = connection.settings_dict["NAME"]
        self.stdout.write(
            f"Charge : {options['clients']} clients pendant {options['duration']:.0f} s "
            f"sur {front}, base « {name} »…"
        )
        return load_run(
            base_url=base_url,
            paths=load_paths(),
            duration_s=options["duration"],
            clients=options["clients"],
        )

    def _gunicorn(self, port: int, workers: int) -> subprocess.Popen:
        # The settings of `make demo` without debug, on the database this command was given.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
        env["DJANGO_DEBUG"] = "false"
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        # Threaded workers, as in production (config/gunicorn_conf.py).
        command += ["--workers", str(workers), "--worker-class", "gthread", "--threads", "4"]
        command += ["--log-level", "warning"]
        return subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter

    def _wait_for(self, server: subprocess.Popen, base_url: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn s'est arrêté au démarrage.")
            try:
                with urllib.request.urlopen(f"{base_url}/annuaire/", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"gunicorn ne répond pas après {STARTUP_TIMEOUT_S} s.")
