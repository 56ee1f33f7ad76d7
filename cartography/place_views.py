"""What a place of the ESS offers, edited by the place itself (issue 17):
`/lieux/<slug>/offre/`, open to whoever `directory.access.place_offer_editable_by` allows,
for an organisation that is a place (a place role, given by the seed or staff, or the kind
tiers-lieu)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cartography.place_forms import (
    PlaceServiceFormSet,
    PlaceSpaceFormSet,
    PlaceTotemForm,
    kept_rows,
)
from cartography.place_network import place_network_csv_rows, place_network_get
from cartography.place_services import SERVICE_FIELDS, SPACE_FIELDS, place_offer_replace
from cartography.selectors import organisation_is_place
from cartography.social_lease import social_lease_counts_get, social_lease_report_get
from directory.access import (
    land_staff_required,
    place_offer_edited_or_403,
    signed_in_required,
    user_is_city_staff,
    user_is_moderator,
)
from directory.csv_export import csv_response
from directory.exports.origin import ORIGIN_COLUMNS_WITH_SOURCES, data_origin_get, origin_row
from directory.models import Organisation


def _initial(organisation: Organisation) -> tuple[list[dict], list[dict]]:
    services = [
        {**{name: getattr(service, name) for name in SERVICE_FIELDS}, "kind": service.kind.slug}
        for service in organisation.place_services.select_related("kind")
    ]
    spaces = [
        {name: getattr(space, name) for name in SPACE_FIELDS}
        for space in organisation.place_spaces.all()
    ]
    return services, spaces


def _totem_form(request: HttpRequest, place: Organisation, data) -> PlaceTotemForm | None:
    """The "lieu totem" tick box, for moderators and city staff only (None for the others)."""
    user = request.user
    if not (user_is_moderator(user=user) or user_is_city_staff(user=user)):
        return None
    return PlaceTotemForm(data, initial={"totem": place.is_totem}, prefix="lieu")


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_required
def place_offer_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The place's services with their conditions and its spaces, as two formsets; a valid
    POST replaces them all and returns to the place's page."""
    place = place_offer_edited_or_403(user=request.user, slug=slug)
    if not organisation_is_place(organisation=place):
        raise Http404(_("Cette organisation n'est pas un lieu de l'ESS."))
    services, spaces = _initial(place)
    data = request.POST if request.method == "POST" else None
    service_forms = PlaceServiceFormSet(data, initial=services, prefix="services")
    space_forms = PlaceSpaceFormSet(data, initial=spaces, prefix="espaces")
    totem_form = _totem_form(request, place, data)
    errors: list[str] = []
    forms_valid = service_forms.is_valid() and space_forms.is_valid()
    if data is not None and forms_valid and (totem_form is None or totem_form.is_valid()):
        try:
            place_offer_replace(
                organisation=place,
                services=kept_rows(service_forms),
                spaces=kept_rows(space_forms),
                totem=totem_form.cleaned_data["totem"] if totem_form else None,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Ce que propose votre lieu est enregistré."))
            return redirect("directory:organisation", slug=place.slug)
    context = {
        "place": place,
        "service_forms": service_forms,
        "space_forms": space_forms,
        "totem_form": totem_form,
        "errors": errors,
    }
    status = 400 if data is not None else 200
    return render(request, "cartography/place_offer_form.html", context, status=status)


@require_safe
def social_lease(request: HttpRequest) -> HttpResponse:
    """`/lieux/bail-utilite-sociale/`: the bail commercial d'utilité sociale explained from
    its public sources, and how many published sites and place offers accept it."""
    return render(request, "cartography/social_lease.html", {"counts": social_lease_counts_get()})


@require_safe
@land_staff_required
def social_lease_report(request: HttpRequest) -> HttpResponse:
    """`/foncier/bail-utilite-sociale/` (city services): the sites and place offers that
    accept the bail commercial d'utilité sociale, with their counts."""
    return render(request, "cartography/land_social_lease.html", social_lease_report_get())


def _network(request: HttpRequest):
    """The network of places: the lieux totems, or every place with `?tous=on`."""
    return place_network_get(totems_only=request.GET.get("tous") != "on")


@require_safe
def place_network(request: HttpRequest) -> HttpResponse:
    """`/lieux/reseau/`: the lieux totems (or every place, `?tous=on`) with their services
    side by side, and the services no place of a quartier offers."""
    network = _network(request)
    context = {"network": network, "all_places": request.GET.get("tous") == "on"}
    return render(request, "cartography/place_network.html", context)


@require_safe
def place_network_export(request: HttpRequest) -> HttpResponse:
    """`/lieux/reseau/export.csv`: the table of /lieux/reseau/ (same `tous`), for a
    spreadsheet."""
    rows = place_network_csv_rows(_network(request))
    origin = origin_row(data_origin_get(model=Organisation))
    return csv_response(
        filename="cartess-reseau-des-lieux.csv",
        header=[*next(rows), *ORIGIN_COLUMNS_WITH_SOURCES],
        rows=([*row, *origin] for row in rows),
    )
