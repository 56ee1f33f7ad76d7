"""The shared pieces of the directory's admin: read-only history, the provenance inline,
the history admin with its revert reasons."""

from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.db.models import Manager, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from directory.history import ADMIN_REASON, REVERT_REASON
from directory.models import (
    Provenance,
)

#: Addresses typed without a scheme are web sites of today: https (Django 6's default).

HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

#: Names of the territory's communes, for when no ReferenceArea has been imported yet.
TERRITORY_COMMUNES = {"59350": "Lille", "59298": "Hellemmes", "59355": "Lomme"}


def names_of(related: Manager) -> str:
    """Comma-separated names of prefetched related rows (no query when prefetched)."""
    return ", ".join(str(item) for item in related.all())


class ReadOnlyAdminMixin:
    """History is written by the importers only: no adding, changing or deleting by hand."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ProvenanceInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Where a record came from (read only); used on every model that can be imported."""

    model = Provenance
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("source", "external_id", "first_seen_at", "last_seen_at", "last_run")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = _("provenance")
    verbose_name_plural = _("provenance (données ouvertes)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provenance]:
        return super().get_queryset(request).select_related("source", "last_run__source")


class HistoryAdmin(SimpleHistoryAdmin):
    """The "Historique" page with a diff of each change, and "Rétablir" for moderators.

    django-simple-history lets whoever may change a record revert it to an older version
    (the group "Modérateurs" has the change permissions). Changes saved here are labelled
    "admin", reverts "annulation (admin)", in the history. A revert keeps the fields the
    model lists in `HISTORY_REVERT_KEEPS`, as the moderators' revert does
    (directory.services.history_revert): "Vérifié le" is written by a confirmation only.
    """

    def save_model(self, request, obj, form, change) -> None:
        reverting = request.resolver_match.url_name.endswith("_simple_history")
        obj._change_reason = REVERT_REASON if reverting else ADMIN_REASON
        kept = getattr(type(obj), "HISTORY_REVERT_KEEPS", ())
        if reverting and kept:
            current = type(obj)._default_manager.filter(pk=obj.pk).values(*kept).first() or {}
            for name, value in current.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
