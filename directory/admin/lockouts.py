"""Login lockouts (django-axes): an administrator lifts one at once.

A lockout counts failures per username *and* address (AXES_LOCKOUT_PARAMETERS); the list
of attempts is axes' own, with one more action, "Débloquer", which forgets the selected
attempts: the person logs in again at once from that address.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockoutAdmin(AccessAttemptAdmin):
    """axes' failed login attempts per username and address, with "Débloquer"."""

    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description=_("Débloquer : effacer ces tentatives, la connexion est rouverte"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        # Both parts of each pair, never none: axes' reset() without either forgets everyone.
        pairs = {pair for pair in queryset.values_list("username", "ip_address") if all(pair)}
        for username, ip_address in pairs:
            reset(username=username, ip=ip_address)
        self.message_user(
            request,
            ngettext(
                "%(count)d connexion débloquée.",
                "%(count)d connexions débloquées.",
                len(pairs),
            )
            % {"count": len(pairs)},
            messages.SUCCESS,
        )
