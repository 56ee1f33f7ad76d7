"""`manage.py network_reminders [--send]`: the former name of freshness_reminders.

Kept for the scripts that call it, with its old default: a dry run unless --send. It now
reminds everyone freshness_reminders does (owners and moderators too, not only network
editors).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Ancien nom de freshness_reminders : sans --send, une répétition (rien n'est "
        "envoyé) ; avec --send, les rappels sont envoyés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="Envoyer les courriels.")

    def handle(self, *args, **options):
        """Run freshness_reminders, as a dry run unless --send."""
        call_command("freshness_reminders", dry_run=not options["send"], stdout=self.stdout)
