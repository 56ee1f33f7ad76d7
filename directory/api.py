"""Public API of the directory (`/api/v1/`): GeoJSON built by PostGIS, documented by OpenAPI."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.filters import OrganisationFilterForm
from directory.selectors import organisation_map_get

GEOJSON = "application/geo+json"

LIST_HELP = "Un ou plusieurs identifiants, répétés ou séparés par des virgules."
FILTER_PARAMETERS = [
    OpenApiParameter(
        "bbox", str, description="Emprise minlon,minlat,maxlon,maxlat (degrés, EPSG:4326)."
    ),
    OpenApiParameter(
        "kind", str, description=f"Type d'acteur (accompagnement, financeur...). {LIST_HELP}"
    ),
    OpenApiParameter("sector", str, description=f"Filière. {LIST_HELP}"),
    OpenApiParameter(
        "stage",
        str,
        description=f"Étape servie par les offres ou dispositifs de l'acteur. {LIST_HELP}",
    ),
    OpenApiParameter("legal_family", str, description=f"Famille juridique. {LIST_HELP}"),
    OpenApiParameter("quartier", str, description="Quartier : code (59350-4) ou identifiant."),
    OpenApiParameter("qpv", bool, description="true : seulement en quartier prioritaire."),
    OpenApiParameter(
        "q",
        str,
        description="Recherche plein texte en français, sans accents, tolérant les fautes.",
    ),
]


class GeoJSONRenderer(JSONRenderer):
    """Lets clients ask for `application/geo+json` (RFC 7946); errors stay plain JSON."""

    media_type = GEOJSON
    format = "geojson"


GEOJSON_RENDERERS = [JSONRenderer, GeoJSONRenderer]


def bad_request(form: OrganisationFilterForm) -> Response:
    return Response({"erreur": form.error_text(), "champs": form.errors}, status=400)


class OrganisationMapApi(APIView):
    """The published organisations with a point, as GeoJSON, by bounding box and filters."""

    renderer_classes = GEOJSON_RENDERERS

    @extend_schema(
        operation_id="organisations_geojson",
        parameters=FILTER_PARAMETERS,
        responses={
            (200, GEOJSON): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "FeatureCollection ; `mode` vaut `points` (une entité par organisation) ou "
                    "`clusters` (au-delà de `cap` organisations : une entité par maille, avec "
                    "`count`) ; `total` compte les organisations trouvées."
                ),
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Paramètre invalide."),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        form = OrganisationFilterForm(request.query_params)
        if not form.is_valid():
            return bad_request(form)
        payload = organisation_map_get(filters=form.filters())
        return HttpResponse(payload, content_type=GEOJSON)
