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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from directory.access import (
    claim_decided_or_403,
    membership_request_decided_or_403,
    membership_requests_required,
    moderation_required,
    signed_in_required,
    suggestion_moderated_or_403,
)
from directory.contributions.decisions import Decision, decision_views
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
    return _review(request, suggestion, RejectForm())


def _review(request, suggestion, form, status=200) -> HttpResponse:
    context = {
        "suggestion": suggestion,
        "rows": suggestion_changes_get(suggestion=suggestion),
        "reject_form": form,
    }
    return render(request, "contributions/review.html", context, status=status)


SUGGESTION_DECISION = Decision(
    get=lambda request, pk: suggestion_moderated_or_403(user=request.user, pk=pk),
    accept=lambda suggestion, user: suggestion_approve(suggestion=suggestion, moderator=user),
    refuse=lambda suggestion, user, data: suggestion_reject(
        suggestion=suggestion, moderator=user, reason=data["reason"]
    ),
    refuse_form=RejectForm,
    accepted=gettext_lazy("Suggestion acceptée : la fiche est à jour."),
    refused=gettext_lazy("Suggestion refusée."),
    done_url=lambda suggestion: reverse("contributions:queue"),
    accept_failed_url=lambda suggestion: reverse("contributions:review", args=[suggestion.pk]),
    page=lambda request, suggestion, form: _review(request, suggestion, form, status=400),
)


# Accept a suggestion (the listing is corrected or created at once), or refuse it with a
# reason, sent to its author when they left an email.
approve, reject = decision_views(SUGGESTION_DECISION, access=moderation_required)


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


CLAIM_DECISION = Decision(
    get=lambda request, pk: claim_decided_or_403(user=request.user, pk=pk),
    accept=lambda claim, user: claim_approve(claim=claim, moderator=user),
    refuse=lambda claim, user, data: claim_reject(
        claim=claim, moderator=user, reason=data["reason"]
    ),
    refuse_form=ClaimRejectForm,
    accepted=gettext_lazy("Revendication acceptée : la personne peut modifier la fiche."),
    refused=gettext_lazy("Revendication refusée."),
    done_url=lambda claim: reverse("contributions:queue"),
    accept_failed_url=lambda claim: reverse("contributions:claim-review", args=[claim.pk]),
    page=lambda request, claim, form: _claim_review(request, claim, form, status=400),
)


# Accept a claim (its author may edit the listing from now on), or refuse it with a reason,
# sent to the claimant.
claim_approve_view, claim_reject_view = decision_views(CLAIM_DECISION, access=moderation_required)


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


MEMBERSHIP_REQUEST_DECISION = Decision(
    get=lambda request, pk: membership_request_decided_or_403(user=request.user, pk=pk),
    accept=lambda item, user: membership_request_accept(membership_request=item, user=user),
    refuse=lambda item, user, data: membership_request_refuse(
        membership_request=item, user=user, reason=data["reason"]
    ),
    refuse_form=MembershipRequestRefuseForm,
    accepted=gettext_lazy("Demande acceptée : la structure est membre du réseau."),
    refused=gettext_lazy("Demande d'adhésion refusée."),
    done_url=lambda item: reverse("contributions:membership-requests"),
    page=lambda request, item, form: _membership_requests_page(request, form, item.pk, status=400),
)


# Accept a request (the listing joins the network, whose uploads then update it), or refuse
# it with a reason (nothing of the listing changes).
membership_request_accept_view, membership_request_refuse_view = decision_views(
    MEMBERSHIP_REQUEST_DECISION, access=membership_requests_required
)
