"""The map's public API (`/api/v1/organisations/`, `areas/`, `premises/`): the map layers
(cartography.layers) as GeoJSON built by PostGIS, documented by OpenAPI."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cartography.api_schema import (
    ORGANISATION_MEMBERS,
    MissingLayerSerializer,
    feature_collection_schema,
)
from cartography.filters import area_filters_parse, area_kinds_missing
from cartography.layers import collection_with_members, layer_get
from cartography.models import AreaKind
from cartography.origin import layer_collection_published
from cartography.selectors import premises_layer_missing
from directory import vocabulary
from directory.api_schema import (
    BBOX_SCHEMA,
    SEARCH_SCHEMA,
    SLUG_OR_EMPTY,
    ErrorSerializer,
    NotFoundSerializer,
)
from directory.areas import area_filter_notices, area_kinds_loaded_get
from directory.filters import OrganisationFilterForm
from directory.limits import MAP_BBOX_MAX_DEGREES

GEOJSON = "application/geo+json"

LIST_HELP = "Un ou plusieurs identifiants, répétés ou séparés par des virgules."
#: `?format=` that no renderer of the view knows: DRF answers 404.
FORMAT_UNKNOWN = OpenApiResponse(NotFoundSerializer, description="Format (`format`) inconnu.")
#: DRF's content negotiation: an `Accept` naming neither JSON, GeoJSON nor `*/*` (a browser's
#: header stripped of its `*/*`) gets a French 406, in the body's shape of the 404.
NOT_ACCEPTABLE = OpenApiResponse(
    NotFoundSerializer,
    description="En-tête `Accept` sans JSON, GeoJSON ni `*/*` : demandez application/json.",
)
#: DRF's `?format=`, empty meaning "as the Accept header says", as DRF reads it.
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    description="geojson ou json (vide : selon l'en-tête Accept) ; un autre format : 404.",
    enum=("geojson", "json", ""),
)

FILTER_PARAMETERS = [
    OpenApiParameter(
        "bbox",
        BBOX_SCHEMA,
        description=(
            "Emprise minlon,minlat,maxlon,maxlat (degrés, EPSG:4326), le minimum sous le "
            f"maximum, {MAP_BBOX_MAX_DEGREES} degrés de côté au plus (sinon 400)."
        ),
        style="form",
        explode=False,
    ),
    OpenApiParameter(
        "kind",
        str,
        many=True,
        description=f"Type d'acteur (accompagnement, financeur...). {LIST_HELP}",
        enum=vocabulary.ORGANISATION_KINDS,
    ),
    OpenApiParameter(
        "sector", str, many=True, description=f"Filière. {LIST_HELP}", enum=vocabulary.SECTORS
    ),
    OpenApiParameter(
        "stage",
        str,
        many=True,
        description=f"Étape servie par les offres ou dispositifs de l'acteur. {LIST_HELP}",
        enum=vocabulary.STAGES,
    ),
    OpenApiParameter(
        "legal_family",
        str,
        many=True,
        description=f"Famille juridique. {LIST_HELP}",
        enum=vocabulary.LEGAL_FAMILIES,
    ),
    OpenApiParameter(
        "quartier", SLUG_OR_EMPTY, description="Quartier : code (59350-4) ou identifiant."
    ),
    OpenApiParameter("qpv", bool, description="true : seulement en quartier prioritaire."),
    OpenApiParameter(
        "q",
        SEARCH_SCHEMA,
        description="Recherche plein texte en français, sans accents, tolérant les fautes.",
    ),
]


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for `application/geo+json` (RFC 7946); errors stay plain JSON."""

    media_type = GEOJSON
    format = "geojson"


GEOJSON_RENDERERS = [JSONRenderer, GeoJSONRenderer]


def geojson_response(text: str) -> HttpResponse:
    """GeoJSON text built by PostGIS, sent as it is."""
    return HttpResponse(text, content_type=GEOJSON)


class OrganisationMapApi(APIView):
    """The published organisations with a point, as GeoJSON, by bounding box and filters."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(
        operation_id="organisations_geojson",
        parameters=[*FILTER_PARAMETERS, FORMAT_PARAMETER],
        responses={
            (200, GEOJSON): OpenApiResponse(
                feature_collection_schema("organisations", members=ORGANISATION_MEMBERS),
                description=(
                    "FeatureCollection ; `mode` vaut `points` (une entité par organisation) ou "
                    "`clusters` (au-delà de `cap` organisations : une entité par maille, avec "
                    "`count`) ; `total` compte les organisations trouvées."
                ),
            ),
            400: OpenApiResponse(ErrorSerializer, description="Paramètre invalide."),
            409: OpenApiResponse(
                MissingLayerSerializer,
                description="Filtre `qpv` ou `quartier` alors que cette couche n'est pas chargée.",
            ),
            404: FORMAT_UNKNOWN,
            406: NOT_ACCEPTABLE,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        form = OrganisationFilterForm(request.query_params, strict=True)
        if not form.is_valid():
            return Response({"erreur": form.error_text(), "champs": form.errors}, status=400)
        missing, partial = area_filter_notices(filters=form.filters())
        if missing:
            return Response({"erreur": " ".join(missing), "couche_non_chargee": True}, status=409)
        layer = layer_get("organisations")
        text = layer_collection_published(layer, "map", filters=form.filters())
        if partial:  # e.g. QPV codes from SIRENE, no outlines: said beside the answer
            text = collection_with_members(text, avertissement=" ".join(partial))
        return geojson_response(text)


class AreaListApi(APIView):
    """Communes, quartiers and QPV as GeoJSON, with outlines simplified by PostGIS."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(
        operation_id="areas_geojson",
        parameters=[
            FORMAT_PARAMETER,
            OpenApiParameter(
                "kind",
                str,
                many=True,
                description="commune, commune-associee, quartier, qpv... (répété ou séparé par "
                "des virgules) ; toutes les zones sans ce paramètre.",
                enum=AreaKind.values,
            ),
        ],
        responses={
            (200, GEOJSON): OpenApiResponse(feature_collection_schema("areas")),
            400: OpenApiResponse(ErrorSerializer, description="Type de zone inconnu."),
            404: FORMAT_UNKNOWN,
            406: NOT_ACCEPTABLE,
            409: OpenApiResponse(
                MissingLayerSerializer,
                description="Couche non chargée (`qpv`, `quartier` demandés et jamais "
                "importés) : une collection vide ne voudrait rien dire.",
            ),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        try:
            filters = area_filters_parse(request.query_params)
        except ValidationError as error:
            return Response({"erreur": " ".join(error.messages)}, status=400)
        if {AreaKind.QPV, AreaKind.QUARTIER} & set(filters.kinds) and (
            missing := area_kinds_missing(filters=filters, loaded=area_kinds_loaded_get())
        ):
            return Response({"erreur": " ".join(missing), "couche_non_chargee": True}, status=409)
        return geojson_response(
            layer_collection_published(layer_get("areas"), "map", filters=filters)
        )


class PremisesListApi(APIView):
    """Published land and premises opportunities, public fields only, as GeoJSON."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(
        parameters=[FORMAT_PARAMETER],
        operation_id="premises_geojson",
        responses={
            (200, GEOJSON): OpenApiResponse(feature_collection_schema("premises")),
            404: FORMAT_UNKNOWN,
            406: NOT_ACCEPTABLE,
            409: OpenApiResponse(
                MissingLayerSerializer,
                description="Couche non chargée : aucun local ni terrain saisi, aucun import "
                "Cartofriches abouti.",
            ),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        missing = premises_layer_missing()
        if missing:
            return Response({"erreur": missing, "couche_non_chargee": True}, status=409)
        return geojson_response(layer_collection_published(layer_get("premises"), "map"))
