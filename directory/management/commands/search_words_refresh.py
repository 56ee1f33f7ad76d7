"""`manage.py search_words_refresh`: rebuild the whole dictionary of the typo correction."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from directory.search_words import search_words_refresh


class Command(BaseCommand):
    help = (
        "Reconstruit tout le dictionnaire de la correction des fautes de frappe de la "
        "recherche (les mots des fiches, financements, accompagnements et services des lieux "
        "publiés) : retire les mots que plus rien n'emploie. Les modifications et les imports "
        "n'ajoutent que leurs mots nouveaux."
    )

    def handle(self, *args, **options):
        """Rebuild in one transaction; print how many words the dictionary holds."""
        with transaction.atomic():
            search_words_refresh()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM directory_search_word")
            count = cursor.fetchone()[0]
        self.stdout.write(f"{count} mots dans le dictionnaire de la recherche.")
