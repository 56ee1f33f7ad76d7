"""The history of a listing, scheme or offer for moderators, and "revenir à cette version".

`/organisations/<slug>/historique/` (and `/financements/…`, `/accompagnements/…`): every
version with who, when, from where and the diff old → new; a moderator may bring one back
(POST, CSRF, reason required), through directory.services.history_revert. Moderators need
no admin access (is_staff) for it. A site's history (`/foncier/<slug>/historique/`) holds
staff-only facts (owner, pipeline): it is for the city services who run /foncier/
(directory.access.record_history_open_to).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cartography.models import Premises
from directory.access import history_access_required
from directory.history import history_versions_get
from directory.models import FundingScheme, Organisation, SupportOffer
from directory.services import history_revert

#: The kinds of records with a history page: model, page of the record, history page names.
HISTORY_KINDS: dict[str, tuple[type[models.Model], str, str]] = {
    "organisation": (Organisation, "directory:organisation", "organisation"),
    "financement": (FundingScheme, "directory:funding-scheme", "funding-scheme"),
    "accompagnement": (SupportOffer, "directory:support-offer", "support-offer"),
    "site": (Premises, "cartography:land-site", "premises"),
}


class RevertForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=80,
        help_text=gettext_lazy("Gardé dans l'historique, ex. « vandalisme »."),
    )


def _page(request, kind: str, instance, form=None, failed: int | None = None, status=200):
    context = {
        "instance": instance,
        "public_url": HISTORY_KINDS[kind][1],
        "revert_url": f"contributions:{HISTORY_KINDS[kind][2]}-revert",
        "versions": history_versions_get(instance=instance),
        "form": form or RevertForm(),
        "failed": failed,
    }
    return render(request, "history/versions.html", context, status=status)


@require_safe
@history_access_required
def history(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """Every version of one record, newest first, with its diff."""
    instance = get_object_or_404(HISTORY_KINDS[kind][0], slug=slug)
    return _page(request, kind, instance)


@require_POST
@history_access_required
def revert(request: HttpRequest, kind: str, slug: str, history_id: int) -> HttpResponse:
    """Bring the record back to the version `history_id`, with a reason."""
    instance = get_object_or_404(HISTORY_KINDS[kind][0], slug=slug)
    record = get_object_or_404(instance.history, history_id=history_id)
    form = RevertForm(request.POST)
    if form.is_valid():
        try:
            history_revert(record=record, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("La version choisie est rétablie."))
            return redirect(f"contributions:{HISTORY_KINDS[kind][2]}-history", slug=slug)
    return _page(request, kind, instance, form, failed=history_id, status=400)
