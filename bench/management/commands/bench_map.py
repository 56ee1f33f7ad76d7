"""`manage.py bench_map`: seed a throw-away database and report p50/p95 of the map and search."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.map_search import map_and_search_time, organisations_seed
from bench.offers_seed import offers_seed
from bench.reuse import reuse_time
from directory.models import Organisation


class Command(BaseCommand):
    help = (
        "Remplit une base jetable (son nom doit contenir « bench ») de 100 000 organisations "
        "réparties comme les adresses françaises, puis mesure p50/p95 de la carte et de la "
        "recherche de l'annuaire, et la recherche unifiée (/recherche/) à côté."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=100)
        parser.add_argument(
            "--reseed", action="store_true", help="Effacer les organisations et tout recréer."
        )

    def handle(self, *args, **options):
        """Seed once (when the database holds fewer organisations than --count), then time.

        Raises CommandError when the database name does not contain "bench", so that a demo
        or production database is never filled with synthetic rows.
        """
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            raise CommandError(
                f"La base « {name} » n'est pas une base de mesure : "
                "utilisez DATABASE_URL=…/cartess_bench_map."
            )
        if options["reseed"]:
            Organisation.objects.all().delete()
        existing = Organisation.objects.count()
        if existing < options["count"]:
            self.stdout.write(f"Création de {options['count'] - existing} organisations…")
            organisations_seed(count=options["count"] - existing, seed=existing)
        if offers_seed():
            self.stdout.write("Dispositifs et offres d'accompagnement créés.")
        self.stdout.write(f"{Organisation.objects.count()} organisations dans « {name} ».")
        timings = map_and_search_time(runs=options["runs"]) + reuse_time(runs=options["runs"])
        for timing in timings:
            self.stdout.write(
                f"{timing.label:<40} p50 {timing.p50_ms:>6.1f} ms  "
                f"p95 {timing.p95_ms:>6.1f} ms  ({timing.detail})"
            )
