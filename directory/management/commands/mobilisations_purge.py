"""`manage.py mobilisations_purge`: erase the personal data of old requests to actors."""

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.mobilisations.services import mobilisations_purge


class Command(BaseCommand):
    help = (
        "Efface les données personnelles (nom, courriel, téléphone, projet, notes) des "
        "demandes aux acteurs et aux lieux closes ou orientées depuis plus de "
        "CARTESS_MOBILISATION_RETENTION_MONTHS mois, et de toute demande envoyée depuis plus "
        "du double. Garde les comptes anonymes (acteur, étape, filière, statut, orientations)."
    )

    def handle(self, *args, **options):
        """Print how many requests were anonymised."""
        count = mobilisations_purge()
        months = settings.CARTESS_MOBILISATION_RETENTION_MONTHS
        self.stdout.write(f"{count} demandes anonymisées (conservation : {months} mois).")
