"""The shared pieces of the directory's admin: read-only history, the provenance inline,
the history admin with its revert reasons."""

import dataclasses

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.db.models import Manager, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from directory.access import Rule
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
    fields = ("source", "external_id", "first_seen_at", "last_seen", "last_run")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = _("provenance")
    verbose_name_plural = _("provenance (données ouvertes)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provenance]:
        queryset = super().get_queryset(request).select_related("source", "last_run__source")
        return queryset.with_last_seen()

    @admin.display(description=_("vu pour la dernière fois"))
    def last_seen(self, obj: Provenance):
        return obj.last_seen


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


def _field_of(name) -> str:
    """The model field a list_display, list_filter, search or lookup entry reads: its first
    part, without the search prefixes (`=owner_name`, `owner_name__icontains` ->
    `owner_name`)."""
    if isinstance(name, tuple | list):
        name = name[0]
    return str(name).lstrip("=^@-").split("__")[0] if isinstance(name, str) else ""


class _WithoutFields(HistoricalRecordContextHelper):
    """The history page's list of changes, without the `hidden` fields (their old and new
    values are as confidential as the field)."""

    def __init__(self, model, record, *, hidden: frozenset[str]) -> None:
        super().__init__(model, record)
        self.hidden = hidden

    def context_for_delta_changes(self, delta) -> list[dict]:
        shown = [change for change in delta.changes if change.field not in self.hidden]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))


class ConfidentialFieldsAdmin:
    """A model admin whose `confidential_fields` only the people `confidential_rule` lets in
    (a person rule of directory.access) ever see, change, search, sort, filter on or read in
    the history; `confidential_inlines` are shown to them only.

    For anybody else: the fields leave the fieldsets, the form (excluded, so a forged POST
    cannot set them), the list's columns, filters and search (the autocomplete's too), the
    lookups of the list's URL (`?owner_name__icontains=` is refused, not an oracle), the
    changes listed on the history page, and a revert to an old version keeps today's values.
    """

    confidential_fields: tuple[str, ...] = ()
    confidential_inlines: tuple = ()
    confidential_rule: Rule

    def sees_confidential(self, request: HttpRequest) -> bool:
        return type(self).confidential_rule(user=request.user)

    def _hidden(self, request: HttpRequest) -> frozenset[str]:
        return (
            frozenset() if self.sees_confidential(request) else frozenset(self.confidential_fields)
        )

    def _keep(self, request: HttpRequest, names) -> list:
        hidden = self._hidden(request)
        return [name for name in names if _field_of(name) not in hidden]

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            fields = []
            for line in options.get("fields", ()):
                together = isinstance(line, tuple | list)
                kept = self._keep(request, line if together else [line])
                if kept:
                    fields.append(tuple(kept) if together else line)
            if fields:
                fieldsets.append((title, {**options, "fields": tuple(fields)}))
        return fieldsets

    def get_exclude(self, request: HttpRequest, obj=None):
        excluded = list(super().get_exclude(request, obj) or ())
        return [*excluded, *self._hidden(request)] or None

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self._keep(request, super().get_readonly_fields(request, obj))

    def get_list_display(self, request: HttpRequest):
        return self._keep(request, super().get_list_display(request))

    def get_list_filter(self, request: HttpRequest):
        return self._keep(request, super().get_list_filter(request))

    def get_search_fields(self, request: HttpRequest):
        return self._keep(request, super().get_search_fields(request))

    def get_inlines(self, request: HttpRequest, obj):
        inlines = super().get_inlines(request, obj)
        if self.sees_confidential(request):
            return inlines
        return [inline for inline in inlines if inline not in self.confidential_inlines]

    def lookup_allowed(self, lookup: str, value, request=None) -> bool:
        if request is not None and _field_of(lookup) in self._hidden(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record):
        return _WithoutFields(self.model, historical_record, hidden=self._hidden(request))

    def save_model(self, request: HttpRequest, obj, form, change) -> None:
        """A person who may not see the confidential fields never writes them: a revert to
        an old version (whose form leaves them out) keeps today's values."""
        hidden = self._hidden(request)
        if change and hidden and obj.pk is not None:
            today = type(obj)._default_manager.filter(pk=obj.pk).values(*hidden).first() or {}
            for name, value in today.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
