"""The map page and the map data endpoints of reference areas."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cartography.models import AreaKind, PremisesKind, PremisesStatus, ThirdPlaceOfferKind
from cartography.selectors import (
    area_feature_collection_get,
    map_config_get,
    premises_feature_collection_get,
)
from directory.api import GEOJSON, GEOJSON_RENDERERS
from directory.filters import OrganisationFilterForm
from directory.selectors import organisation_filter_choices_get


class AreaListApi(APIView):
    """Communes, quartiers and QPV as GeoJSON, with outlines simplified by PostGIS."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(
        operation_id="areas_geojson",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                description="commune, commune-associee, quartier, qpv... (répété ou séparé par "
                "des virgules) ; toutes les zones sans ce paramètre.",
            )
        ],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, 400: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request) -> HttpResponse:
        kinds = tuple(
            part
            for value in request.query_params.getlist("kind")
            for part in value.split(",")
            if part
        )
        unknown = sorted(set(kinds) - set(AreaKind.values))
        if unknown:
            return Response({"erreur": f"Type de zone inconnu : {', '.join(unknown)}."}, status=400)
        return HttpResponse(area_feature_collection_get(kinds=kinds), content_type=GEOJSON)


class PremisesListApi(APIView):
    """Published land and premises opportunities, public fields only, as GeoJSON."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(operation_id="premises_geojson", responses={(200, GEOJSON): OpenApiTypes.OBJECT})
    def get(self, request: Request) -> HttpResponse:
        return HttpResponse(premises_feature_collection_get(), content_type=GEOJSON)


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """`/carte/`: the full-screen map, its filters and the synchronised list of results."""
    form = OrganisationFilterForm(request.GET)
    form.is_valid()  # an invalid filter is shown next to its field; the map still loads
    context = {
        "form": form,
        "choices": organisation_filter_choices_get(),
        "map_config": map_config_get(),
        "premises_labels": {
            **dict(PremisesKind.choices),
            **dict(PremisesStatus.choices),
            **dict(ThirdPlaceOfferKind.choices),
        },
    }
    return render(request, "cartography/map.html", context)
