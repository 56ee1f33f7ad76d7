"""`manage.py bench_hostile [--copies N]`: each importer on N rows of one identifier."""

import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.hostile_run import (
    SLUGS,
    copies_measure,
    hostile_bench,
    hostile_results_write,
    result_lines,
)
from bench.management.commands.bench_import import BENCH_MARKER
from bench.sql import BENCH_RESET
from importers.engine.sql import execute

RESULTS = Path(__file__).resolve().parents[2] / "results"


class Command(BaseCommand):
    help = (
        "Importe, pour Recherche d'entreprises (pages d'API locales), communes, quartiers, "
        "seed-closures, data·inclusion, RNA, QPV et SIAE, N copies d'un même identifiant, "
        "chacune dans un processus à part : secondes, mémoire maximale, lignes gardées et "
        "refusées en double. DATABASE_URL doit désigner une base dont le nom contient "
        "« bench » (elle est vidée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--copies", type=int, default=100_000)
        parser.add_argument("--source", action="append", choices=SLUGS, help="une seule source")
        parser.add_argument("--no-write", action="store_true", help="ne pas écrire bench/results")
        # The child process of one measure (bench.hostile_run).
        parser.add_argument("--measure", choices=SLUGS, help="(interne) une mesure")
        parser.add_argument("--path", default="", help="(interne)")
        parser.add_argument("--base-url", default="", help="(interne)")

    def handle(self, *args, copies, source, no_write, measure, path, base_url, **options):
        """Empty the bench database, measure each source, print and write the figures.

        Raises CommandError on a database that is not a bench one.
        Side effects: truncates organisations, provenances and runs, then imports.
        """
        database = connection.settings_dict["NAME"]
        if BENCH_MARKER not in database:
            raise CommandError(
                f"Base « {database} » refusée : la mesure vide la base ; utilisez une base "
                f"dont le nom contient « {BENCH_MARKER} »."
            )
        if measure:
            figures = copies_measure(slug=measure, path=path, base_url=base_url, copies=copies)
            self.stdout.write(json.dumps(figures))
            return
        execute(BENCH_RESET)
        with tempfile.TemporaryDirectory(prefix="cartess-hostile-") as folder:
            result = hostile_bench(copies=copies, folder=Path(folder), only=tuple(source or ()))
        self.stdout.write("\n".join(result_lines(result)))
        if not no_write:
            self.stdout.write(f"Écrit : {hostile_results_write(result=result, folder=RESULTS)}")
