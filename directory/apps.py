from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from directory.history import fill_change_reason

        pre_create_historical_record.connect(fill_change_reason, dispatch_uid="history-reason")
