"""`/contribuer/` (public, no account), claims of an organisation (`/organisations/<slug>/
revendiquer/`, signed in), `/moderation/` (moderators and network editors) and
`/moderation/adhesions/` (the networks' membership requests: moderators and the listings'
owners).

Suggestions about a network's member reach that network's editors first: they see them in
their queue and may decide, as moderators may for every suggestion.
"""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.access import (
    claim_decided_or_403,
    membership_request_decided_or_403,
    membership_requests_required,
    moderation_required,
    signed_in_required,
    suggestion_moderated_or_403,
)
from directory.contributions.forms import (
    HONEYPOT,
    ClaimForm,
    ClaimRejectForm,
    ContributionForm,
    MembershipRequestRefuseForm,
    RejectForm,
)
from directory.contributions.membership_requests import (
    membership_request_accept,
    membership_request_queue_get,
    membership_request_refuse,
)
from directory.contributions.selectors import (
    claim_queue_get,
    suggestion_changes_get,
    suggestion_queue_get,
)
from directory.contributions.services import (
    SpamSuspected,
    SuggestionData,
    claim_approve,
    claim_reject,
    claim_submit,
    contribution_rate_limited,
    form_token_check,
    form_token_issue,
    suggestion_approve,
    suggestion_reject,
    suggestion_submit,
)
from directory.models import Organisation, PublicationStatus, Suggestion


def _target(request: HttpRequest) -> Organisation | None:
    slug = request.GET.get("organisation", "")
    if not slug:
        return None
    return get_object_or_404(
        Organisation, slug=slug, publication_status=PublicationStatus.PUBLISHED
    )


TOO_FAST = gettext_lazy("Le formulaire a été envoyé trop vite : relisez-le puis renvoyez-le.")


def _submit(request: HttpRequest, form: ContributionForm, target) -> HttpResponse | None:
    """Store the suggestion, or None after adding why to `form` (with a fresh token)."""
    try:
        form_token_check(token=form.cleaned_data["token"], honeypot=form.cleaned_data[HONEYPOT])
    except SpamSuspected:
        form.data = form.data.copy()
        form.data["token"] = form_token_issue()
        form.add_error(None, TOO_FAST)
        return None
    if contribution_rate_limited(ip_address=get_client_ip_address(request) or ""):
        return render(request, "contributions/too_many.html", status=429)
    suggestion_submit(data=SuggestionData(organisation=target, **form.suggestion_values()))
    return redirect("contributions:thanks")


@require_http_methods(["GET", "HEAD", "POST"])
def contribute(request: HttpRequest) -> HttpResponse:
    """Suggest a new listing, or a correction of `?organisation=<slug>` (prefilled)."""
    target = _target(request)
    initial = {"token": form_token_issue()}
    if target is not None:
        initial |= {name: getattr(target, name) for name in Suggestion.PROPOSED_FIELDS[1:]}
    form = ContributionForm(request.POST or None, initial=initial, correction=target is not None)
    if request.method == "POST" and form.is_valid():
        response = _submit(request, form, target)
        if response is not None:
            return response
    return render(request, "contributions/form.html", {"form": form, "target": target})


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    """`/contribuer/merci/`: what happens next."""
    return render(request, "contributions/thanks.html")


@require_safe
@moderation_required
def queue(request: HttpRequest) -> HttpResponse:
    """`/moderation/`: the pending suggestions and claims the person may decide on."""
    context = {
        "suggestions": suggestion_queue_get(user=request.user),
        "claims": claim_queue_get(user=request.user),
    }
    return render(request, "contributions/queue.html", context)


@require_safe
@moderation_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """`/moderation/<pk>/`: the listing today beside what is proposed; accept or refuse."""
    suggestion = suggestion_moderated_or_403(user=request.user, pk=pk)
    context = {
        "suggestion": suggestion,
        "rows": suggestion_changes_get(suggestion=suggestion),
        "reject_form": RejectForm(),
    }
    return render(request, "contributions/review.html", context)


@require_POST
@moderation_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a suggestion: the listing is corrected (or created) at once."""
    suggestion = suggestion_moderated_or_403(user=request.user, pk=pk)
    try:
        suggestion_approve(suggestion=suggestion, moderator=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contributions:review", pk=pk)
    messages.success(request, _("Suggestion acceptée : la fiche est à jour."))
    return redirect("contributions:queue")


@require_POST
@moderation_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse a suggestion with a reason, sent to its author when they left an email."""
    suggestion = suggestion_moderated_or_403(user=request.user, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            suggestion_reject(
                suggestion=suggestion, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Suggestion refusée."))
            return redirect("contributions:queue")
    context = {
        "suggestion": suggestion,
        "rows": suggestion_changes_get(suggestion=suggestion),
        "reject_form": form,
    }
    return render(request, "contributions/review.html", context, status=400)


@signed_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    """`/organisations/<slug>/revendiquer/`: "this is my organisation", proven by its SIRET."""
    organisation = get_object_or_404(
        Organisation, slug=slug, publication_status=PublicationStatus.PUBLISHED
    )
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim_submit(user=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Revendication envoyée : vous recevrez la décision par courriel.")
            )
            return redirect("directory:organisation", slug=organisation.slug)
    context = {"organisation": organisation, "form": form}
    return render(request, "claims/form.html", context, status=400 if form.errors else 200)


def _claim_review(request, claim, form, status=200) -> HttpResponse:
    context = {"claim": claim, "reject_form": form}
    return render(request, "claims/review.html", context, status=status)


@require_safe
@moderation_required
def claim_review(request: HttpRequest, pk: int) -> HttpResponse:
    """`/moderation/revendications/<pk>/`: who claims what, with which SIRET; decide."""
    return _claim_review(request, claim_decided_or_403(user=request.user, pk=pk), ClaimRejectForm())


@require_POST
@moderation_required
def claim_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a claim: its author may edit the organisation's listing from now on."""
    claim = claim_decided_or_403(user=request.user, pk=pk)
    try:
        claim_approve(claim=claim, moderator=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contributions:claim-review", pk=pk)
    messages.success(request, _("Revendication acceptée : la personne peut modifier la fiche."))
    return redirect("contributions:queue")


@require_POST
@moderation_required
def claim_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse a claim with a reason, sent to the claimant."""
    claim = claim_decided_or_403(user=request.user, pk=pk)
    form = ClaimRejectForm(request.POST)
    if form.is_valid():
        try:
            claim_reject(claim=claim, moderator=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Revendication refusée."))
            return redirect("contributions:queue")
    return _claim_review(request, claim, form, status=400)


def _membership_requests_page(request, refuse_form=None, refused_pk=None, status=200):
    context = {
        "membership_requests": membership_request_queue_get(user=request.user),
        "refuse_form": refuse_form or MembershipRequestRefuseForm(),
        "refused_pk": refused_pk,
    }
    return render(request, "contributions/membership_requests.html", context, status=status)


@require_safe
@membership_requests_required
def membership_requests(request: HttpRequest) -> HttpResponse:
    """`/moderation/adhesions/`: the networks' pending requests to enrol a listing that the
    person may decide on (moderators: all; owners: their listing's)."""
    return _membership_requests_page(request)


@require_POST
@membership_requests_required
def membership_request_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a request: the listing joins the network, whose uploads then update it."""
    membership_request = membership_request_decided_or_403(user=request.user, pk=pk)
    try:
        membership_request_accept(membership_request=membership_request, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Demande acceptée : la structure est membre du réseau."))
    return redirect("contributions:membership-requests")


@require_POST
@membership_requests_required
def membership_request_refuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse a request with a reason; nothing of the listing changes."""
    membership_request = membership_request_decided_or_403(user=request.user, pk=pk)
    form = MembershipRequestRefuseForm(request.POST)
    if form.is_valid():
        try:
            membership_request_refuse(
                membership_request=membership_request,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Demande d'adhésion refusée."))
            return redirect("contributions:membership-requests")
    return _membership_requests_page(request, form, membership_request.pk, status=400)
