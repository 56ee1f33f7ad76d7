"""`manage.py freshness_reminders [--dry-run]`: e-mail the reminders of stale listings."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.freshness.services import freshness_reminders_send


class Command(BaseCommand):
    help = (
        "Envoie à chaque personne concernée un courriel qui regroupe les fiches « à "
        "actualiser » ou « obsolètes » dont elle s'occupe (responsables, éditeurs de réseau, "
        "modérateurs pour les fiches sans responsable ni réseau), avec pour chacune un lien "
        "signé « toujours à jour » et un lien « modifier ». Peut tourner chaque jour : personne "
        "n'est relancé pour la même fiche avant CARTESS_FRESHNESS_REMIND_EVERY_DAYS jours. "
        "Avec --dry-run, rien n'est envoyé ni écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Lister les courriels sans les envoyer."
        )

    def handle(self, *args, **options):
        """Print one line per person reminded (or to remind, with --dry-run)."""
        dry_run = options["dry_run"]
        emails = freshness_reminders_send(today=timezone.localdate(), dry_run=dry_run)
        verb = "à envoyer (répétition, rien n'est envoyé)" if dry_run else "envoyé"
        for email in emails:
            names = ", ".join(listing.name for listing, _role in email.items)
            self.stdout.write(f"{email.user.email} : {len(email.items)} fiches, {verb} ({names})")
        total = "à envoyer (répétition)" if dry_run else "envoyés"
        self.stdout.write(f"{len(emails)} courriels {total}.")
