"""`manage.py bench_http [--count N]`: the pages and APIs through real HTTP against gunicorn
under the production settings, each beside its bare SQL; figures written to bench/results/."""

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.http.endpoints import VARIANTS, endpoints_get
from bench.http.machine import load_average, machine_describe
from bench.http.results import RESULTS_FOLDER, endpoint_line, results_write
from bench.http.run import http_bench_run
from bench.http.server import (
    ServerError,
    database_url,
    gunicorn_running,
    production_env,
    production_prepare,
)
from bench.map_search import organisations_seed
from bench.offers_seed import offers_seed
from bench.places_seed import place_services_seed
from bench.provenance_seed import provenances_seed
from directory.models import Organisation
from directory.sitemaps import OrganisationSitemap

#: The bench fills its database with synthetic rows: only a database whose name says so.
BENCH_MARKER = "bench"


class Command(BaseCommand):
    help = (
        "Remplit une base de mesure (son nom doit contenir « bench ») de --count organisations "
        "synthétiques, lance gunicorn avec les réglages de production et mesure par HTTP "
        "p50/p95/p99 et requêtes/s de chaque page et API, à côté de leur SQL seule ; écrit "
        "les chiffres et la machine dans bench/results/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="organisations")
        parser.add_argument("--requests", type=int, default=100, help="requêtes par adresse")
        parser.add_argument("--clients", type=int, default=1, help="clients simultanés")
        parser.add_argument("--workers", type=int, default=2, help="workers gunicorn")
        parser.add_argument("--reseed", action="store_true", help="tout effacer et recréer")
        parser.add_argument("--output", type=Path, default=RESULTS_FOLDER, help="dossier")

    def handle(self, *args, count, requests, clients, workers, reseed, output, **options):
        """Seed, start gunicorn, measure each endpoint, stop gunicorn, write the figures.

        Raises CommandError on a database that is not a bench one, one that holds another
        number of organisations than --count, a server that does not start, or when a
        request failed (after the figures are written).
        """
        name = connection.settings_dict["NAME"]
        if BENCH_MARKER not in name:
            raise CommandError(
                f"Base « {name} » refusée : la mesure la remplit d'organisations synthétiques ; "
                f"utilisez une base dont le nom contient « {BENCH_MARKER} » (make bench)."
            )
        run = {"started_at": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}", "database": name}
        run |= {"organisations": self._seed(count, reseed), "requests": requests}
        run |= {"clients": clients, "workers": workers, "load_before": load_average()}
        run["machine"] = machine_describe()
        run["endpoints"] = self._measure(run, workers)
        run["load_after"] = load_average()
        path = results_write(run=run, folder=output)
        self.stdout.write(f"Chiffres écrits dans {path} et {path.with_suffix('.md')}.")
        failed = sum(figures.get("error_count", 0) for figures in run["endpoints"])
        if failed:
            raise CommandError(f"{failed} requêtes en erreur (0 attendue).")

    def _seed(self, count: int, reseed: bool) -> int:
        if reseed:
            Organisation.objects.all().delete()
        existing = Organisation.objects.count()
        written = 0
        if existing == 0:
            self.stdout.write(f"Création de {count} organisations…")
            written += organisations_seed(count=count)
        elif existing != count:
            raise CommandError(
                f"La base contient {existing} organisations, pas {count} : ajoutez --reseed "
                "pour tout recréer, ou utilisez une autre base (BENCH_DB=…)."
            )
        # Each organisation with its SIRENE provenance, as after an import: the API's and the
        # organisation page's credits read it (only those missing are written).
        if provenances := provenances_seed():
            self.stdout.write(f"{provenances} provenances SIRENE ajoutées.")
        written += provenances + offers_seed()
        # Half of the places say what they offer, as on a running instance (issue 17).
        if services := place_services_seed():
            self.stdout.write(f"{services} services de lieux ajoutés.")
        if written + services:
            self._settle()
        return count

    def _settle(self) -> None:
        """VACUUM (ANALYZE) what was just written, as autovacuum does to a running database
        a little after an import. Without it, the first run after seeding measured a database
        autovacuum had not visited yet (statistics taken before the schemes, offers, services
        and their words were written; no visibility map): at 10,000 organisations a search
        with no match took 10 ms of SQL, 2 ms once settled, and a typo 10 ms, 5.6 once
        settled."""
        self.stdout.write("VACUUM (ANALYZE) de la base remplie…")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    def _measure(self, run: dict, workers: int) -> list[dict]:
        slugs = list(Organisation.objects.order_by("pk").values_list("slug", flat=True)[:VARIANTS])
        pages = OrganisationSitemap().paginator.num_pages
        static_root = Path(tempfile.gettempdir()) / "cartess-bench-static"
        env = production_env(
            url=database_url(connection.settings_dict), static_root=static_root, workers=workers
        )
        log = Path(tempfile.mkstemp(prefix="cartess-bench-gunicorn-", suffix=".log")[1])
        self.stdout.write(
            f"{run['organisations']} organisations dans « {run['database']} » ; gunicorn "
            f"({workers} workers, réglages de production), journal : {log}"
        )
        try:
            production_prepare(env=env, log=log)
            with gunicorn_running(env=env, log=log) as base_url:
                run["server"] = base_url
                return http_bench_run(
                    base_url=base_url,
                    endpoints=endpoints_get(detail_slugs=slugs, sitemap_pages=pages),
                    count=run["requests"],
                    clients=run["clients"],
                    report=lambda figures: self.stdout.write(endpoint_line(figures)),
                )
        except ServerError as error:
            raise CommandError(str(error)) from error
