"""`/reseaux/<slug>/`, the listing editor of a network's members and their CSV upload.

Network editors edit the members of their networks and nothing else; moderators and
superusers edit every listing; anonymous visitors are sent to the login page, everybody
else gets 403 (directory.access.organisation_editable_by). The CSV upload screen
(`/reseaux/<slug>/import/`) is for the editors of that network and moderators; its checks,
dry run and confirmation live in importers.web.uploads. The same people create and revoke the
network's API tokens (`/reseaux/<slug>/jetons/`, importers.web.api).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.access import (
    listing_edit_access_required,
    network_edited_or_403,
    organisation_edited_or_403,
    organisation_owned_by,
    reminder_link_editor_id,
    signed_in_required,
)
from directory.contributions.forms import NetworkTokenForm
from directory.contributions.selectors import network_api_tokens_get
from directory.edit_credit import edit_credit_for
from directory.forms import ListingForm
from directory.freshness.links import edit_visit_end
from directory.history import NETWORK_EDIT_REASON, OWNER_EDIT_REASON, REMINDER_EDIT_REASON
from directory.models import NetworkApiToken, Organisation
from directory.selectors import (
    network_closed_members_get,
    network_freshness_get,
    network_page_get,
)
from directory.services import (
    network_api_token_create,
    network_api_token_revoke,
    organisation_listing_edit,
)


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A network, its members listed and on a small map, with "modifier" where allowed."""
    try:
        page = network_page_get(slug=slug, user=request.user)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    return render(request, "directory/network_detail.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@listing_edit_access_required
def listing_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """`/organisations/<slug>/modifier/`: correct what the person changed of a listing (its
    owner, an editor of its networks, a moderator: directory.access; or a visit opened by a
    reminder's "modifier" link, recorded in that person's name)."""
    organisation = organisation_edited_or_403(user=request.user, slug=slug, session=request.session)
    linked = reminder_link_editor_id(session=request.session, slug=slug)
    editor = request.user
    if linked:
        editor = get_user_model().objects.filter(pk=linked).first()
        organisation._history_user = editor
    form = ListingForm(request.POST or None, initial=ListingForm.initial_for(organisation))
    if request.method == "POST" and form.is_valid():
        owner = organisation_owned_by(user=request.user, organisation=organisation)
        try:
            organisation_listing_edit(
                organisation=organisation,
                values=form.listing_changes(),
                reason=_edit_reason(owner=owner, linked=linked),
                credit=edit_credit_for(organisation=organisation, user=editor),
            )
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            edit_visit_end(session=request.session, slug=slug)
            messages.success(request, _("La fiche est enregistrée."))
            return redirect("directory:organisation", slug=organisation.slug)
    context = {"organisation": organisation, "form": form}
    return render(request, "directory/listing_form.html", context)


def _edit_reason(*, owner: bool, linked: int | None) -> str:
    """The history's reason of a listing edit: by its owner, through a reminder's link, or
    by a network's editor or a moderator."""
    if owner:
        return OWNER_EDIT_REASON
    return REMINDER_EDIT_REASON if linked else NETWORK_EDIT_REASON


def _add_model_errors(form: ListingForm, error: ValidationError) -> None:
    """Show a rule of the model the edit breaks beside its field, or atop the form when the
    form has no such field (SIREN, a constraint across fields)."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for name, errors in by_field.items():
        form.add_error(name if name in form.fields else None, errors)


@require_safe
@signed_in_required
def network_freshness(request: HttpRequest, slug: str) -> HttpResponse:
    """`/reseaux/<slug>/fraicheur/`: its members' listings to verify or complete (editors)."""
    network = network_edited_or_403(user=request.user, slug=slug)
    rows = network_freshness_get(network=network, today=timezone.localdate())
    closed = network_closed_members_get(network=network, published_only=False)
    context = {"network": network, "rows": rows, "closed_members": closed}
    return render(request, "directory/network_freshness.html", context)


@signed_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def network_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    """`/reseaux/<slug>/jetons/`: the network's API tokens; a new one's secret shown once."""
    network = network_edited_or_403(user=request.user, slug=slug)
    form = NetworkTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = network_api_token_create(
            network=network, name=form.cleaned_data["name"], user=request.user
        )
        form = NetworkTokenForm()
    context = {
        "network": network,
        "form": form,
        "secret": secret,
        "tokens": network_api_tokens_get(network=network),
    }
    response = render(request, "directory/network_tokens.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@signed_in_required
@require_POST
def network_token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Revoke one of the network's tokens for good."""
    network = network_edited_or_403(user=request.user, slug=slug)
    token = get_object_or_404(NetworkApiToken, pk=pk, network=network)
    network_api_token_revoke(token=token, user=request.user)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("directory:network-tokens", slug=network.slug)
