"""`manage.py import <source> [--file PATH | --url URL] [--dry-run] [--remap] [--geocode]`,
`import --all` and `import --check-runs`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importers.engine.errors import ImportFailed
from importers.engine.progress import Progress
from importers.engine.runs import runs_interrupted_mark
from importers.engine.services import source_import, sources_import_all
from importers.sources import source_geocodes


class Command(BaseCommand):
    help = (
        "Importe une source de données ouvertes (ou toutes, avec --all, depuis les fichiers "
        "fournis) et affiche le bilan : créés, mis à jour, inchangés, rejetés."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help="identifiant de la source, ex. siae")
        origin = parser.add_mutually_exclusive_group()
        origin.add_argument("--file", type=Path, help="fichier à lire au lieu du fichier fourni")
        origin.add_argument(
            "--url", help="adresse à lire : fichier à télécharger, ou adresse de base d'une API"
        )
        parser.add_argument("--dry-run", action="store_true", help="tout faire, ne rien garder")
        parser.add_argument(
            "--remap",
            action="store_true",
            help=(
                "relire chaque ligne avec la correspondance actuelle, même inchangée depuis "
                "le dernier import (les valeurs corrigées à la main restent)"
            ),
        )
        parser.add_argument(
            "--geocode",
            action="store_true",
            help=(
                "placer les adresses sans coordonnées avec la Base Adresse Nationale (sources "
                "qui géocodent à la demande, ex. seed ; réseau nécessaire)"
            ),
        )
        parser.add_argument(
            "--all",
            action="store_true",
            dest="all_sources",
            help="toutes les sources, dans l'ordre",
        )
        parser.add_argument(
            "--check-runs",
            action="store_true",
            help="marquer « interrompu » les imports en cours dont le processus s'est arrêté",
        )
        parser.add_argument(
            "--skip-loaded",
            action="store_true",
            help="avec --all : sauter les sources déjà importées",
        )

    def handle(self, *args, source, file, url, dry_run, remap, all_sources, skip_loaded, **options):
        """Run one source or all of them and print each report; or, with --check-runs, mark
        the runs whose process died and say how many.

        Raises CommandError for inconsistent arguments, an unknown source or a failed or
        interrupted run (whose ImportRun keeps the cause; the database keeps nothing of it).
        """
        if options["check_runs"]:
            marked = runs_interrupted_mark()
            self.stdout.write(f"Imports marqués « interrompu » : {len(marked)}.")
            return
        if bool(source) == all_sources:
            raise CommandError("Donnez une source, ou --all.")
        if all_sources and (file or url):
            raise CommandError("--file et --url ne s'utilisent qu'avec une seule source.")
        if skip_loaded and not all_sources:
            raise CommandError("--skip-loaded ne s'utilise qu'avec --all.")
        if options["geocode"] and (all_sources or not source_geocodes(source)):
            raise CommandError("--geocode s'utilise avec une source qui géocode, ex. seed.")
        if all_sources and dry_run:
            # Each source of --all reads what the previous ones loaded (communes first).
            raise CommandError("--dry-run s'utilise source par source, pas avec --all.")
        try:
            if all_sources:
                reports = sources_import_all(
                    skip_loaded=skip_loaded, remap=remap, progress=self.progress
                )
                for report in reports:
                    self.stdout.write("\n".join(report.lines()))
            else:
                report = source_import(
                    slug=source,
                    path=file,
                    url=url,
                    dry_run=dry_run,
                    remap=remap,
                    progress=self.progress,
                    geocode=options["geocode"],
                )
                self.stdout.write("\n".join(report.lines()))
        except ImportFailed as error:
            raise CommandError(
                f"Import interrompu, rien n'a été enregistré pour cette source : {error}"
            ) from error

    def progress(self, progress: Progress) -> None:
        """Show where a long run stands, on stderr (the report goes to stdout)."""
        self.stderr.write(
            f"{progress.source} : {progress.rows} lignes lues en {progress.seconds:.0f} s "
            f"({progress.rows_per_second:.0f} lignes/s)…"
        )
