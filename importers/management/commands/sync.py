"""`manage.py sync [--only a,b] [--force]`: the live sources, now, each on its own rhythm."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from importers.engine.progress import Progress
from importers.sync import SYNC_LABELS, SyncOutcome, SyncStatus, sources_sync, sync_sources


class Command(BaseCommand):
    help = (
        "Met le territoire à jour depuis les sources en ligne (celles du calendrier, dans "
        "son ordre), chacune à son rythme, et affiche un bilan par source."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            default="",
            help=f"sources à mettre à jour, séparées par des virgules "
            f"(parmi : {', '.join(sync_sources())})",
        )
        parser.add_argument(
            "--force", action="store_true", help="importer même les sources encore à jour"
        )

    def handle(self, *args, only, force, **options):
        """Sync, print a line per source as it goes and a summary table at the end.

        Raises CommandError (exit code 1) for an unknown source, or after the summary when
        any source failed (its run keeps the cause; its data stay as they were).
        """
        names = [name.strip() for name in only.split(",") if name.strip()]
        try:
            outcomes = sources_sync(
                only=names, force=force, on_start=self.started, progress=self.progress
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n" + "\n".join(summary_table(outcomes)))
        failed = [o.slug for o in outcomes if o.status == SyncStatus.FAILED]
        if failed:
            raise CommandError(
                _("%(n)s source(s) en échec, leurs données restent inchangées : %(slugs)s")
                % {"n": len(failed), "slugs": ", ".join(failed)}
            )

    def started(self, position: int, total: int, slug: str) -> None:
        self.stdout.write(f"[{position}/{total}] {slug}…")

    def progress(self, progress: Progress) -> None:
        self.stderr.write(
            f"  {progress.source} : {progress.rows} lignes lues en {progress.seconds:.0f} s…"
        )


def summary_table(outcomes: list[SyncOutcome]) -> list[str]:
    """The end-of-sync table: one row per source, counts when it ran, the detail."""
    header = (
        _("source"),
        _("résultat"),
        _("créés"),
        _("mis à jour"),
        _("inchangés"),
        _("rejetés"),
        _("durée"),
        _("détail"),
    )
    rows = [header] + [_row(outcome) for outcome in outcomes]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in rows
    ]


def _row(outcome: SyncOutcome) -> tuple[str, ...]:
    report = outcome.report
    counts = (
        (str(report.created), str(report.updated), str(report.unchanged), str(report.rejected))
        if report
        else ("-",) * 4
    )
    ran = outcome.status in {SyncStatus.IMPORTED, SyncStatus.FAILED}
    seconds = f"{outcome.seconds:.1f} s" if ran else "-"
    return (outcome.slug, str(SYNC_LABELS[outcome.status]), *counts, seconds, outcome.detail)
