"""`manage.py demo_admin`: the local demonstration superuser of `make demo`."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

USERNAME = "admin"
# A documented local demo account; the command refuses to run when DEBUG is False.
PASSWORD = "cartess-demo"  # noqa: S105
EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = (
        "Crée le superutilisateur de démonstration « admin » (mot de passe « cartess-demo ») "
        "s'il n'existe pas encore. Réservé au poste local : refusé quand DEBUG est faux, "
        "sauf avec --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Créer le compte même quand DEBUG est faux (jamais sur un serveur public).",
        )

    def handle(self, *args, **options):
        """Create the demo superuser once; never touch an existing "admin" account.

        Side effect: one user row at most. Raises CommandError when DEBUG is False and
        --force is not given, because the password is public.
        """
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "DEBUG est faux : ce compte de démonstration a un mot de passe public. "
                    "Relancez avec --force s'il s'agit bien d'un poste local."
                )
            )
        users = get_user_model().objects
        if users.filter(username=USERNAME).exists():
            message = _("Le compte « %(username)s » existe déjà : rien n'a changé.")
            self.stdout.write(message % {"username": USERNAME})
            return
        users.create_superuser(username=USERNAME, email=EMAIL, password=PASSWORD)
        message = _(
            "Compte de démonstration créé : identifiant « %(username)s », "
            "mot de passe « %(password)s »."
        )
        self.stdout.write(
            self.style.SUCCESS(message % {"username": USERNAME, "password": PASSWORD})
        )
