"""The actors' side: the inbox of requests (`/compte/demandes/`, `/reseaux/<slug>/demandes/`),
one request with its status and referral (`/demandes/<pk>/`), and the staff's anonymised
flows (`/demandes/flux/`). Who sees what is directory.access's."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from directory.access import (
    mobilisation_flows_required,
    mobilisation_handled_or_403,
    mobilisation_inbox_required,
    network_edited_or_403,
    signed_in_required,
    user_is_moderator,
)
from directory.mobilisations.forms import ReferralForm, StatusForm
from directory.mobilisations.selectors import (
    mobilisation_flows_get,
    mobilisation_inbox_get,
    mobilisation_network_inbox_get,
    mobilisation_referrals_get,
    referral_targets_get,
)
from directory.mobilisations.services import (
    mobilisation_refer,
    mobilisation_send_to_city,
    mobilisation_status_set,
)
from directory.models import MobilisationKind

#: Rows an inbox page shows (newest first).
INBOX_ROWS = 200


@require_safe
@mobilisation_inbox_required
def inbox(request: HttpRequest) -> HttpResponse:
    """`/compte/demandes/`: the requests to the listings I own or whose network I edit."""
    is_moderator = user_is_moderator(user=request.user)
    rows = mobilisation_inbox_get(user=request.user, is_moderator=is_moderator)[:INBOX_ROWS]
    return render(request, "mobilisations/inbox.html", {"rows": rows, "network": None})


@require_safe
@signed_in_required
def network_inbox(request: HttpRequest, slug: str) -> HttpResponse:
    """`/reseaux/<slug>/demandes/`: the requests to the network's members."""
    network = network_edited_or_403(user=request.user, slug=slug)
    rows = mobilisation_network_inbox_get(network=network)[:INBOX_ROWS]
    return render(request, "mobilisations/inbox.html", {"rows": rows, "network": network})


def _detail_page(request, mobilisation, status_form=None, referral_form=None) -> HttpResponse:
    context = {
        "mobilisation": mobilisation,
        "referrals": mobilisation_referrals_get(mobilisation=mobilisation),
        "status_form": status_form or StatusForm(initial={"status": mobilisation.status}),
        "referral_form": referral_form
        or ReferralForm(targets=referral_targets_get(mobilisation=mobilisation)),
        "is_space": mobilisation.kind == MobilisationKind.SPACE,
    }
    return render(request, "mobilisations/detail.html", context)


@require_safe
@signed_in_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """`/demandes/<pk>/`: the request, its status and where it was referred."""
    return _detail_page(request, mobilisation_handled_or_403(user=request.user, pk=pk))


@require_POST
@signed_in_required
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the request's status; the holder is told by mail."""
    mobilisation = mobilisation_handled_or_403(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, mobilisation, status_form=form)
    mobilisation_status_set(mobilisation=mobilisation, status=form.cleaned_data["status"])
    messages.success(request, _("Statut enregistré ; la personne en est avertie."))
    return redirect("mobilisations:detail", pk=pk)


@require_POST
@signed_in_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the request to another actor with a note; both it and the holder are told."""
    mobilisation = mobilisation_handled_or_403(user=request.user, pk=pk)
    if mobilisation.anonymised_at is not None:
        messages.error(
            request, _("Cette demande a été anonymisée : elle ne peut plus être orientée.")
        )
        return redirect("mobilisations:detail", pk=pk)
    targets = referral_targets_get(mobilisation=mobilisation)
    form = ReferralForm(request.POST, targets=targets)
    if not form.is_valid():
        return _detail_page(request, mobilisation, referral_form=form)
    to = form.cleaned_data["organisation"]
    mobilisation_refer(mobilisation=mobilisation, to=to, note=form.cleaned_data["note"])
    messages.success(request, _("Demande orientée vers « %(name)s ».") % {"name": to.name})
    return redirect("mobilisations:detail", pk=pk)


@require_POST
@signed_in_required
def send_to_city(request: HttpRequest, pk: int) -> HttpResponse:
    """A place cannot serve a space request: hand it to the city services (issue 17)."""
    mobilisation = mobilisation_handled_or_403(user=request.user, pk=pk)
    if mobilisation.kind == MobilisationKind.SPACE and mobilisation.sent_to_city_at is None:
        mobilisation_send_to_city(mobilisation=mobilisation)
        messages.success(request, _("Demande transmise aux services de la Ville."))
    return redirect("mobilisations:detail", pk=pk)


@require_safe
@mobilisation_flows_required
def flows(request: HttpRequest) -> HttpResponse:
    """`/demandes/flux/`: who refers to whom, counts by stage and sector; no personal data."""
    return render(request, "mobilisations/flows.html", mobilisation_flows_get())
