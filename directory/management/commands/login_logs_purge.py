"""`manage.py login_logs_purge`: erase the sign-in records (django-axes) older than
CARTESS_LOGIN_LOG_RETENTION_DAYS."""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Efface les traces de connexion (connexions réussies, échecs et tentatives en cours "
        "de comptage : identifiant, adresse IP, navigateur, date) plus anciennes que "
        "CARTESS_LOGIN_LOG_RETENTION_DAYS jours."
    )

    def handle(self, *args, **options):
        """Print how many records were erased."""
        days = settings.CARTESS_LOGIN_LOG_RETENTION_DAYS
        limit = timezone.now() - timedelta(days=days)
        count = AxesProxyHandler.reset_logs(age_days=days)
        count += AxesProxyHandler.reset_failure_logs(age_days=days)
        count += AccessAttempt.objects.filter(attempt_time__lte=limit).delete()[0]
        self.stdout.write(f"{count} traces de connexion effacées (conservation : {days} jours).")
