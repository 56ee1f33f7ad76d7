"""The history of a listing, scheme or offer for moderators, and "revenir à cette version".

`/organisations/<slug>/historique/` (and `/financements/…`, `/accompagnements/…`): every
version with who, when, from where and the diff old → new; a moderator may bring one back
(POST, CSRF, reason required), through directory.services.history_revert. Moderators need
no admin access (is_staff) for it. The views serve any `HistoryKind` given in the URL's
arguments: cartography serves a site's history with them (cartography.history).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from directory.access import history_access_required, user_is_moderator
from directory.history import history_versions_get
from directory.models import FundingScheme, Organisation, SupportOffer
from directory.services import history_revert


@dataclass(frozen=True)
class HistoryKind:
    """A kind of record with a history page: its model, the names of the record's page and
    of its history and revert pages, and who may read and revert it: `rule`, a person rule
    of directory.access (moderators unless told; read by access.record_history_open_to)."""

    model: type[models.Model]
    public_url: str
    history_url: str
    revert_url: str
    rule: Callable[..., bool] = user_is_moderator


#: The directory's records with a history page (`kind` of the URLs of contributions.urls).
HISTORY_KINDS: dict[str, HistoryKind] = {
    "organisation": HistoryKind(
        Organisation,
        "directory:organisation",
        "contributions:organisation-history",
        "contributions:organisation-revert",
    ),
    "financement": HistoryKind(
        FundingScheme,
        "directory:funding-scheme",
        "contributions:funding-scheme-history",
        "contributions:funding-scheme-revert",
    ),
    "accompagnement": HistoryKind(
        SupportOffer,
        "directory:support-offer",
        "contributions:support-offer-history",
        "contributions:support-offer-revert",
    ),
}


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=80,
        help_text=gettext_lazy("Gardé dans l'historique, ex. « vandalisme »."),
    )


def _page(request, kind: HistoryKind, instance, form=None, failed: int | None = None, status=200):
    context = {
        "instance": instance,
        "public_url": kind.public_url,
        "revert_url": kind.revert_url,
        "versions": history_versions_get(instance=instance),
        "form": form or RevertForm(),
        "failed": failed,
    }
    return render(request, "history/versions.html", context, status=status)


@require_safe
@history_access_required
def history(request: HttpRequest, kind: HistoryKind, slug: str) -> HttpResponse:
    """Every version of one record, newest first, with its diff."""
    instance = get_object_or_404(kind.model, slug=slug)
    return _page(request, kind, instance)


@require_POST
@history_access_required
def revert(request: HttpRequest, kind: HistoryKind, slug: str, history_id: int) -> HttpResponse:
    """Bring the record back to the version `history_id`, with a reason."""
    instance = get_object_or_404(kind.model, slug=slug)
    record = get_object_or_404(instance.history, history_id=history_id)
    form = RevertForm(request.POST)
    if form.is_valid():
        try:
            history_revert(record=record, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("La version choisie est rétablie."))
            return redirect(kind.history_url, slug=slug)
    return _page(request, kind, instance, form, failed=history_id, status=400)
