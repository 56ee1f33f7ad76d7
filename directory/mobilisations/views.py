"""The project holder's pages: send a request to an actor (`/organisations/<slug>/mobiliser/`)
or to a place (`/organisations/<slug>/demander-un-espace/`), and follow it through the
private link of the copy they received (`/demandes/suivi/<token>/`). No account needed."""

from axes.helpers import get_client_ip_address
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from directory.contributions.services import SpamSuspected, form_token_check, form_token_issue
from directory.contributions.views import TOO_FAST
from directory.mobilisations.forms import MobilisationForm, SpaceRequestForm
from directory.mobilisations.selectors import (
    mobilisation_recipients_get,
    mobilisation_referrals_get,
)
from directory.mobilisations.services import (
    MobilisationData,
    mobilisation_follow_token,
    mobilisation_from_token,
    mobilisation_rate_limited,
    mobilisation_submit,
)
from directory.models import (
    FundingScheme,
    MobilisationKind,
    Organisation,
    PublicationStatus,
    Stage,
    SupportOffer,
)


def _actor(slug: str) -> Organisation:
    return get_object_or_404(
        Organisation, slug=slug, publication_status=PublicationStatus.PUBLISHED, closed_on=None
    )


def _about(request: HttpRequest, organisation: Organisation) -> dict:
    """The scheme or offer the request is about (`?dispositif=`, `?accompagnement=`), when it
    belongs to this actor."""
    source = request.POST if request.method == "POST" else request.GET
    scheme = FundingScheme.objects.filter(
        slug=source.get("dispositif", ""), funders=organisation
    ).first()
    offer = SupportOffer.objects.filter(
        slug=source.get("accompagnement", ""), provider=organisation
    ).first()
    return {"funding_scheme": scheme, "support_offer": offer}


@require_http_methods(["GET", "HEAD", "POST"])
def mobilise(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask an actor to take the project on (support, funding)."""
    return _request_page(request, _actor(slug), MobilisationForm, MobilisationKind.MOBILISATION)


@require_http_methods(["GET", "HEAD", "POST"])
def space_request(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask a place of the ESS for room (issue 17); 404 for an organisation that is no place.
    A place is what `/lieux/` lists (cartography.places.place_list): a place role, the kind
    tiers-lieu, or a service it declared (kept when staff took its role back, or added in
    the admin): each card there links here."""
    organisation = _actor(slug)
    if not (organisation.is_place or organisation.place_services.exists()):
        raise Http404
    return _request_page(request, organisation, SpaceRequestForm, MobilisationKind.SPACE)


def _request_page(request, organisation, form_class, kind) -> HttpResponse:
    recipients = mobilisation_recipients_get(organisation=organisation)
    about = _about(request, organisation)
    stage = Stage.objects.filter(slug=request.GET.get("etape", "")).first()
    form = form_class(request.POST or None, initial={"token": form_token_issue(), "stage": stage})
    status = 200
    if recipients and request.method == "POST" and form.is_valid():
        response = _submit(request, form, organisation, kind, about)
        if response is not None:
            return response
        status = 429 if str(TOO_MANY) in form.non_field_errors() else 200
    context = {
        "organisation": organisation,
        "form": form,
        "kind": kind,
        "reachable": bool(recipients),
        "has_public_contact": bool(organisation.email),
        **about,
    }
    return render(request, "mobilisations/form.html", context, status=status)


#: Said on the form, which keeps what was typed, when an address sent too many requests.
TOO_MANY = gettext_lazy(
    "Cette connexion a envoyé beaucoup de demandes en peu de temps : la vôtre n'est pas "
    "partie. Ce que vous avez écrit est gardé ci-dessous ; renvoyez-le dans une heure."
)


def _submit(request, form, organisation, kind, about) -> HttpResponse | None:
    """Send the request, or None after adding why to `form` (with a fresh token after a
    spam check; TOO_MANY past CARTESS_MOBILISATIONS_PER_HOUR)."""
    try:
        form_token_check(
            token=form.cleaned_data["token"], honeypot=form.cleaned_data["site_web_bis"]
        )
    except SpamSuspected:
        form.data = form.data.copy()
        form.data["token"] = form_token_issue()
        form.add_error(None, TOO_FAST)
        return None
    if mobilisation_rate_limited(ip_address=get_client_ip_address(request) or ""):
        # The form again, as typed: the holder sends it later without typing it again.
        form.add_error(None, TOO_MANY)
        return None
    data = MobilisationData(
        organisation=organisation,
        kind=kind,
        space=form.space_values(),
        **form.request_values(),
        **about,
    )
    mobilisation = mobilisation_submit(data=data)
    token = mobilisation_follow_token(mobilisation=mobilisation)
    return redirect("mobilisations:follow", token=token)


@require_safe
def follow(request: HttpRequest, token: str) -> HttpResponse:
    """The holder's private page: where the request stands, and to whom it was referred."""
    mobilisation = mobilisation_from_token(token=token)
    if mobilisation is None:
        raise Http404
    context = {
        "mobilisation": mobilisation,
        "referrals": mobilisation_referrals_get(mobilisation=mobilisation),
    }
    response = render(request, "mobilisations/follow.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
