"""The map page, the places of the ESS (/lieux/), and the directory's GeoJSON export (the
organisations layer)."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cartography.forms import PlaceFilterForm
from cartography.layers import layer_get
from cartography.models import PremisesKind, PremisesStatus
from cartography.origin import layer_collection_published
from cartography.places import PLACES_PER_PAGE, PlaceFilters, place_list, quartier_choices
from cartography.selectors import map_config_get
from directory.filters import OrganisationFilterForm, export_query_parse
from directory.paginators import CountedPaginator
from directory.selectors import organisation_filter_choices_get


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """`/carte/`: the full-screen map, its filters and the synchronised list of results."""
    form = OrganisationFilterForm(request.GET)
    form.is_valid()  # an invalid filter is shown next to its field; the map still loads
    choices = organisation_filter_choices_get()
    context = {
        "form": form,
        "choices": choices,
        "map_config": map_config_get(),
        "premises_loaded": choices.premises_published,
        "premises_labels": {
            **dict(PremisesKind.choices),
            **dict(PremisesStatus.choices),
            **dict(choices.place_services),
        },
    }
    return render(request, "cartography/map.html", context)


@require_safe
def organisation_export_geojson(request: HttpRequest) -> HttpResponse:
    """`/annuaire/export.geojson`: the current result of the directory as GeoJSON, built by
    PostGIS (the "export" variant of the organisations layer; its URL is the directory's)."""
    try:
        filters, sort = export_query_parse(request.GET)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    layer = layer_get("organisations")
    response = HttpResponse(
        layer_collection_published(layer, "export", filters=filters, sort=sort),
        content_type="application/geo+json",
    )
    response["Content-Disposition"] = 'attachment; filename="cartess-organisations.geojson"'
    return response


@require_safe
def places(request: HttpRequest) -> HttpResponse:
    """`/lieux/`: the places of the ESS with what they offer, filtered by service, quartier
    and lieu totem, paginated. An invalid filter is shown next to its field, and ignored."""
    form = PlaceFilterForm(request.GET, quartiers=quartier_choices())
    filters = PlaceFilters(**form.cleaned_data) if form.is_valid() else PlaceFilters()
    places = CountedPaginator(place_list(filters=filters), PLACES_PER_PAGE)
    page = places.get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "map_query": _place_query(filters)}
    return render(request, "cartography/places.html", context)


def _place_query(filters: PlaceFilters) -> str:
    """The query string of the filters kept, for the map's GeoJSON."""
    kept = {
        "service": filters.service,
        "quartier": filters.quartier,
        "totem": filters.totem,
        "social_lease": filters.social_lease,
    }
    return urlencode(
        {key: "on" if value is True else value for key, value in kept.items() if value}
    )


@require_safe
def places_geojson(request: HttpRequest) -> HttpResponse:
    """`/lieux/carte.geojson`: the places of /lieux/ with a point, with the same filters (an
    invalid one is refused, 400), as GeoJSON built by PostGIS (the "places" layer)."""
    form = PlaceFilterForm(request.GET, quartiers=quartier_choices())
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    collection = layer_collection_published(
        layer_get("places"), "map", filters=PlaceFilters(**form.cleaned_data)
    )
    return HttpResponse(collection, content_type="application/geo+json")
