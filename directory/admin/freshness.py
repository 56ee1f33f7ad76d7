"""The freshness cycle in the admin: reminders sent and web links checked (read-only)."""

from django.contrib import admin
from django.http import HttpRequest

from directory.models import FreshnessReminder, LinkCheck


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the freshness commands only: nobody adds or changes a row by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(FreshnessReminder)
class FreshnessReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_on", "organisation", "user", "role", "confirmed_at", "edit_opened_at")
    readonly_fields = list_display
    list_filter = ("role", "sent_on")
    list_select_related = ("organisation", "user")
    search_fields = ("organisation__name", "user__email")
    date_hierarchy = "sent_on"


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyAdmin):
    list_display = ("url", "outcome", "status_code", "reason", "checked_at")
    readonly_fields = list_display
    list_filter = ("outcome",)
    search_fields = ("url",)
