"""`/organisations/<slug>/retrait/` (who edits the listing asks for its removal) and
`/moderation/retraits/` (moderators decide: directory.contributions.removals)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from directory.access import moderator_required, organisation_edited_or_403, signed_in_required
from directory.contributions.decisions import Decision, decision_views
from directory.contributions.forms import RemovalRefuseForm, RemovalRequestForm
from directory.contributions.removals import (
    removal_request_accept,
    removal_request_pending_for,
    removal_request_queue_get,
    removal_request_refuse,
    removal_request_submit,
)
from directory.models import RemovalRequest


@signed_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def removal_request(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for the removal of a listing one may edit, with a reason."""
    organisation = organisation_edited_or_403(user=request.user, slug=slug)
    form = RemovalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            removal_request_submit(
                organisation=organisation, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Demande de retrait envoyée : vous recevrez la décision par courriel.")
            )
            return redirect("directory:organisation", slug=organisation.slug)
    context = {
        "organisation": organisation,
        "form": form,
        "pending": removal_request_pending_for(organisation=organisation),
    }
    return render(
        request, "contributions/removal_request.html", context, status=400 if form.errors else 200
    )


def _queue(request, form=None, refused_pk=None, status=200) -> HttpResponse:
    context = {
        "removals": removal_request_queue_get(),
        "refuse_form": form or RemovalRefuseForm(),
        "refused_pk": refused_pk,
    }
    return render(request, "contributions/removal_requests.html", context, status=status)


@require_safe
@moderator_required
def removal_requests(request: HttpRequest) -> HttpResponse:
    """`/moderation/retraits/`: the pending removal requests, oldest first."""
    return _queue(request)


REMOVAL_DECISION = Decision(
    get=lambda request, pk: get_object_or_404(
        RemovalRequest.objects.select_related("organisation"), pk=pk
    ),
    accept=lambda removal, user: removal_request_accept(removal=removal, moderator=user),
    refuse=lambda removal, user, data: removal_request_refuse(
        removal=removal, moderator=user, note=data["note"]
    ),
    refuse_form=RemovalRefuseForm,
    accepted=gettext_lazy("Fiche retirée : elle n'est plus publique."),
    refused=gettext_lazy("Demande de retrait refusée : la fiche reste publiée."),
    done_url=lambda removal: reverse("contributions:removal-requests"),
    page=lambda request, removal, form: _queue(request, form, removal.pk, status=400),
)


# Accept (the listing is archived: kept, no longer public), or refuse with a reason (the
# listing stays public).
removal_request_accept_view, removal_request_refuse_view = decision_views(
    REMOVAL_DECISION, access=moderator_required
)
