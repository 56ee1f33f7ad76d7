import logging

from django.apps import AppConfig
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = _("Imports de données ouvertes")

    def ready(self) -> None:
        # `migrate` runs at every start-up of a deployment (docker-compose, make demo): the
        # runs whose process died meanwhile are marked "interrompu" there.
        post_migrate.connect(_mark_interrupted_runs, sender=self)


def _mark_interrupted_runs(**kwargs) -> None:
    from importers.engine.runs import runs_interrupted_mark

    try:
        with transaction.atomic(using=kwargs.get("using")):
            runs_interrupted_mark()
    except DatabaseError as error:  # the table is not there (migrating backwards)
        logger.info("Interrupted runs not checked: %s", error)
