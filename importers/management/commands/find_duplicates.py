"""`manage.py find_duplicates`: list the organisations that may be one, for review."""

from django.core.management.base import BaseCommand
from django.db import transaction

from importers.engine.review import (
    DUPLICATE_DISTANCE_M,
    DUPLICATE_SIMILARITY,
    duplicate_candidates_refresh,
)


class Command(BaseCommand):
    help = (
        "Cherche les doublons possibles (noms proches, lieux proches, aucun identifiant "
        "commun, ou même SIREN) et les liste pour les modérateurs ; ne fusionne rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--similarity",
            type=float,
            default=DUPLICATE_SIMILARITY,
            help="ressemblance minimale des noms, de 0,3 à 1 (trigrammes)",
        )
        parser.add_argument(
            "--distance",
            type=float,
            default=DUPLICATE_DISTANCE_M,
            help="distance maximale en mètres",
        )

    def handle(self, *args, similarity, distance, **options):
        """Refresh the DuplicateCandidate list and print how many pairs await review."""
        with transaction.atomic():
            pending = duplicate_candidates_refresh(similarity=similarity, distance_m=distance)
        self.stdout.write(f"{pending} doublon(s) possible(s) à examiner : /moderation/doublons/")
