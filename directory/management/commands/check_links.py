"""`manage.py check_links`: check the websites and scheme pages the directory shows."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.freshness.linkcheck import links_check


class Command(BaseCommand):
    help = (
        "Vérifie que les sites web des organisations publiées et les pages des dispositifs "
        "de financement répondent (une requête par adresse, CARTESS_LINK_CHECK_TIMEOUT "
        "secondes au plus, CARTESS_LINK_CHECK_WORKERS adresses à la fois dont "
        "CARTESS_LINK_CHECK_PER_HOST au plus par serveur), garde le résultat de chacune "
        "et l'affiche à ses éditeurs. "
        "Peut tourner chaque jour : chaque adresse garde son dernier résultat."
    )

    def handle(self, *args, **options):
        """Print the count of addresses checked and one line per failed one."""
        report = links_check(now=timezone.now())
        for check in report.failed:
            self.stdout.write(f"{check.url} : {check.get_outcome_display()} ({check.reason})")
        self.stdout.write(f"{report.checked} adresses vérifiées, {len(report.failed)} en échec.")
