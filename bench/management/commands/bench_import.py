"""`manage.py bench_import [--rows N]`: time the SIRENE bulk import on a synthetic file set."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.sirene_files import Stopwatch, peak_memory_mb, sirene_sample_write
from bench.sql import BENCH_RESET
from importers.engine.errors import ImportFailed
from importers.engine.services import source_import
from importers.engine.sql import execute

#: The benchmark empties the organisations and provenances of its database: it only runs
#: on a database whose name says it is one for measuring (e.g. cartess_bench_import).
BENCH_MARKER = "bench"


class Command(BaseCommand):
    help = (
        "Génère un jeu SIRENE synthétique (établissements, unités légales, géolocalisation), "
        "l'importe deux fois dans une base de mesure vidée d'abord, et affiche les lignes "
        "par seconde et la mémoire maximale. DATABASE_URL doit désigner une base dont le nom "
        "contient « bench »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=1_000_000, help="établissements")
        parser.add_argument("--folder", type=Path, help="dossier où écrire les fichiers")
        parser.add_argument(
            "--territory-share",
            type=float,
            help=(
                "part des établissements situés dans le territoire (ex. 0.01, comme dans le "
                "stock national) ; par défaut presque tous, le cas le plus lourd"
            ),
        )

    def handle(self, *args, rows, folder, territory_share, **options):
        """Empty the bench database, write the files, import them twice, report.

        The second import must change nothing. Raises CommandError on a database that is
        not a bench one, or when an import fails.
        Side effects: truncates organisations, provenances and import runs, then writes them.
        """
        if territory_share is not None and not 0 < territory_share <= 1:
            raise CommandError(
                f"--territory-share {territory_share} : une part entre 0 (exclu) et 1 est "
                "attendue, par exemple 0.01."
            )
        database = connection.settings_dict["NAME"]
        if BENCH_MARKER not in database:
            raise CommandError(
                f"Base « {database} » refusée : la mesure vide la base ; utilisez une base "
                f"dont le nom contient « {BENCH_MARKER} » (make bench-import)."
            )
        execute(BENCH_RESET)
        with tempfile.TemporaryDirectory(prefix="cartess-bench-") as temporary:
            target = folder or Path(temporary)
            clock = Stopwatch()
            files = sirene_sample_write(folder=target, rows=rows, territory_share=territory_share)
            self.stdout.write(
                f"Fichiers écrits en {clock.seconds:.1f} s : {files.etablissements} "
                f"établissements, {files.unites_legales} unités légales, "
                f"{files.geolocalisations} géolocalisations ({target})."
            )
            lines = files.etablissements + files.unites_legales + files.geolocalisations
            for label in ("premier import", "second import (rien ne doit changer)"):
                self._run(label, target, rows, lines)

    def _run(self, label: str, folder: Path, rows: int, lines: int) -> None:
        try:
            report = source_import(slug="sirene", path=folder)
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        seconds = report.duration
        written = report.created + report.updated
        self.stdout.write(f"{label} :")
        self.stdout.write("\n".join(report.lines(reasons=3)))
        self.stdout.write(
            f"  {rows / seconds:,.0f} lignes d'établissements/s de bout en bout "
            f"({seconds:.1f} s) ; {lines / seconds:,.0f} lignes de fichiers/s "
            f"({lines} lignes dans les trois fichiers) ; {written / seconds:,.0f} "
            f"organisations écrites/s ; mémoire maximale du processus : "
            f"{peak_memory_mb():.0f} Mo."
        )
