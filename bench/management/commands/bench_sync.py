"""`manage.py bench_sync [--scale S]`: `sync` twice on a national-shaped payload set served
by a local HTTP server; rows/s, peak memory and what the unchanged second run wrote, written
to bench/results/<date>-sync.json and .md (bench.sync_run)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.http.results import RESULTS_FOLDER
from bench.sql import BENCH_RESET
from bench.sync_run import run_lines, sync_bench, sync_results_write
from cartography.models import AreaKind, Premises, PremisesKind, ReferenceArea
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.engine.sql import execute

#: The bench empties the organisations of its database: only a database whose name says so.
BENCH_MARKER = "bench"


def default_samples() -> Path:
    """The recorded samples beside the checkout (../shared/data/samples), else the copies
    the tests keep (tests/data)."""
    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "samples"
    return shared if shared.is_dir() else Path(settings.BASE_DIR) / "tests" / "data"


class Command(BaseCommand):
    help = (
        "Génère un jeu de pages et de fichiers à la forme des sources nationales (Recherche "
        "d'entreprises, Aides-territoires, SIRENE, RNA, data·inclusion, Cartofriches, QPV) "
        "à partir des échantillons enregistrés, le "
        "sert en HTTP local, vide la base de mesure puis lance sync --force deux fois : "
        "lignes/s, mémoire maximale, et ce que le second passage (rien n'a changé) écrit. "
        "DATABASE_URL doit désigner une base dont le nom contient « bench »."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=(
                "taille du jeu : 1 = 1 250 entreprises ESS de l'API, 2 000 aides, 50 000 "
                "établissements SIRENE dont 1 % dans le territoire, 20 000 associations RNA, "
                "20 000 structures data·inclusion, 150 friches, 1 600 QPV"
            ),
        )
        parser.add_argument("--samples", type=Path, default=None, help="échantillons enregistrés")
        parser.add_argument("--output", type=Path, default=RESULTS_FOLDER, help="dossier")

    def handle(self, *args, scale, samples, output, **options):
        """Empty the bench database, sync twice, print and write the figures.

        Raises CommandError on a database that is not a bench one, a scale that is not
        positive, or when a source failed (after the figures are written).
        Side effects: truncates organisations, provenances and import runs; loads the
        communes when missing; writes two files in `output`.
        """
        if scale <= 0:
            raise CommandError(f"--scale {scale} : une échelle positive est attendue (ex. 0.1).")
        name = connection.settings_dict["NAME"]
        if BENCH_MARKER not in name:
            raise CommandError(
                f"Base « {name} » refusée : la mesure vide la base ; utilisez une base dont "
                f"le nom contient « {BENCH_MARKER} » (make bench-sync)."
            )
        execute(BENCH_RESET)
        # The friches and QPV of an earlier measure (kept by BENCH_RESET) go too.
        Premises.objects.filter(kind=PremisesKind.FRICHE).delete()
        ReferenceArea.objects.filter(kind=AreaKind.QPV).delete()
        if not ReferenceArea.objects.filter(kind=AreaKind.COMMUNE).exists():
            try:
                source_import(slug="communes")
            except ImportFailed as error:
                raise CommandError(str(error)) from error
        result = sync_bench(scale=scale, samples=samples or default_samples())
        served = ", ".join(f"{slug} {rows:,}" for slug, rows in result["rows_served"].items())
        self.stdout.write(
            f"Jeu généré en {result['payloads_seconds']:.1f} s (lignes servies : {served})."
        )
        for run in result["runs"]:
            self.stdout.write("\n".join(run_lines(run)))
        path = sync_results_write(result=result, folder=output)
        self.stdout.write(f"Chiffres écrits dans {path} et {path.with_suffix('.md').name}.")
        failed = sorted({slug for run in result["runs"] for slug in run["failed"]})
        if failed:
            raise CommandError(f"source(s) en échec pendant la mesure : {', '.join(failed)}")
