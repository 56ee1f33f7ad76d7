"""`manage.py needs_purge`: erase the contact details of old premises needs."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cartography.services import needs_purge


class Command(BaseCommand):
    help = (
        "Efface les coordonnées et la description (porteur, nom, courriel, téléphone, "
        "description) des besoins de locaux satisfaits ou clos depuis plus de "
        "CARTESS_NEED_RETENTION_MONTHS mois, et de tout besoin resté sans changement depuis "
        "plus du double. Garde ce que la Ville compte (surface, types, quartiers, budget, "
        "dates, statut, propositions)."
    )

    def handle(self, *args, **options):
        """Print how many needs were anonymised."""
        count = needs_purge()
        months = settings.CARTESS_NEED_RETENTION_MONTHS
        self.stdout.write(f"{count} besoins anonymisés (conservation : {months} mois).")
