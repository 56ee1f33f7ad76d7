"""`manage.py network_reminders [--send]`: remind network editors of listings to verify."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.reminders import network_reminders_send


class Command(BaseCommand):
    help = (
        "Liste, pour chaque réseau, les fiches de ses membres à vérifier ou compléter "
        "(non vérifiées depuis 12 mois, sans position, contact ou SIRET) ; avec --send, "
        "l'envoie par courriel à ses éditeurs. Sans --send, rien n'est envoyé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="Envoyer les courriels.")

    def handle(self, *args, **options):
        """Print one line per network reminded; send the emails only with --send."""
        reminders = network_reminders_send(today=timezone.localdate(), send=options["send"])
        verb = "envoyé" if options["send"] else "à envoyer (répétition, rien n'est envoyé)"
        for reminder in reminders:
            self.stdout.write(
                f"{reminder.network.name} : {len(reminder.to_review)} fiches, "
                f"rappel {verb} à {', '.join(reminder.recipients)}"
            )
        self.stdout.write(f"{len(reminders)} réseaux concernés.")
