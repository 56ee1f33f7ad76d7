"""`manage.py alerts_digest`: e-mail each followed search its news, forget what is not kept."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.alerts.digest import alert_digests_send


class Command(BaseCommand):
    help = (
        "Efface les recherches suivies désabonnées et celles non confirmées à temps "
        "(CARTESS_ALERTS_UNCONFIRMED_DAYS), puis envoie à chaque adresse confirmée les "
        "nouveaux dispositifs qui correspondent à sa recherche et les clôtures dans les 30 "
        "jours, chacun une seule fois ; rien quand il n'y a rien. Peut tourner plusieurs fois."
    )

    def handle(self, *args, **options):
        """Print one line per e-mail sent, then the totals."""
        report = alert_digests_send(today=timezone.localdate())
        for digest in report.sent:
            self.stdout.write(
                f"{digest.saved_search.email} : {len(digest.new)} nouveau(x), "
                f"{len(digest.closing)} clôture(s) proche(s)"
            )
        self.stdout.write(
            f"{len(report.sent)} courriels envoyés ; {report.deleted} recherches suivies effacées."
        )
