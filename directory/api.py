"""Public API of the directory (`/api/v1/`): GeoJSON built by PostGIS, documented by OpenAPI."""

from datetime import date

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directory.filters import OrganisationFilterForm
from directory.pathway.forms import FundingFilterForm, PathwayForm
from directory.pathway.landscape import funding_scheme_list, support_offer_list
from directory.pathway.selectors import pathway_get
from directory.selectors import organisation_map_get
from directory.serializers import funding_scheme_as_dict, pathway_as_dict, support_offer_as_dict

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


# --- Funding and support: the pathway and the funding landscape ----------------------------

PATHWAY_PARAMETERS = [
    OpenApiParameter(
        "stage",
        str,
        required=True,
        description="Étape : pre-amorcage, amorcage, consolidation, changement-d-echelle.",
    ),
    OpenApiParameter("legal_family", str, description="Famille juridique (association...)."),
    OpenApiParameter("sector", str, description="Filière (alimentation-durable...)."),
    OpenApiParameter(
        "need",
        str,
        many=True,
        description="financement et/ou accompagnement (les deux quand absent).",
    ),
    OpenApiParameter("instrument", str, many=True, description="Instrument (subvention...)."),
    OpenApiParameter("amount", int, description="Montant recherché, en euros."),
    OpenApiParameter(
        "support_kind", str, many=True, description="Type d'accompagnement (incubation...)."
    ),
    OpenApiParameter(
        "where", str, description="adresse (avec lat, lon ou address), quartier, lille (défaut)."
    ),
    OpenApiParameter("lat", float, description="Latitude du projet (EPSG:4326)."),
    OpenApiParameter("lon", float, description="Longitude du projet (EPSG:4326)."),
    OpenApiParameter("address", str, description="Adresse, géocodée par la BAN sans lat/lon."),
    OpenApiParameter("quartier", str, description="Quartier : code (59350-6) ou identifiant."),
    OpenApiParameter("date", OpenApiTypes.DATE, description="Date du jour (défaut : aujourd'hui)."),
]


class PathwayApi(APIView):
    """The ranked pathway of a project: the same answer as `/parcours/`, as JSON."""

    @extend_schema(
        operation_id="pathway",
        parameters=PATHWAY_PARAMETERS,
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "`funding_schemes` et `support_offers` : ce qui convient maintenant, "
                    "classé par `score`, chacun avec ses `reasons` (en français), ses points "
                    "`to_check` ; `soon` : ouvre plus tard ; `organisations` : financeurs et "
                    "structures, les plus proches d'abord (`distance_m`) ; `road_ahead` : ce "
                    "qui s'ouvre aux étapes suivantes ; `recurring` : dispositifs clôturés qui "
                    "reviennent ; `excluded` : le reste, avec `excluded_because`."
                ),
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Paramètre invalide."),
        },
    )
    def get(self, request: Request) -> Response:
        form = PathwayForm(request.query_params)
        if not form.is_valid():
            return Response({"erreur": form.error_text(), "champs": form.errors}, status=400)
        result = pathway_get(project=form.project(), today=form.today())
        return Response(pathway_as_dict(result, today=form.today()))


FUNDING_PARAMETERS = [
    OpenApiParameter("stage", str, description="Étape couverte (amorcage...)."),
    OpenApiParameter("legal_family", str, description="Ouvert à cette famille (ou à toutes)."),
    OpenApiParameter("sector", str, description="Ouvert à cette filière (ou à toutes)."),
    OpenApiParameter("scope", str, description="Échelle du territoire (commune, region...)."),
]


class _FundingListApi(GenericAPIView):
    """A paginated plain-JSON list (`limit`, `offset`) filtered by `FundingFilterForm`."""

    def _list(self, request: Request, *, select, as_dict) -> Response:
        form = FundingFilterForm(request.query_params)
        if not form.is_valid():
            return Response({"erreur": form.error_text(), "champs": form.errors}, status=400)
        page = self.paginate_queryset(select(filters=form.filters(today=date.today())))
        return self.get_paginated_response([as_dict(item) for item in page])


class FundingSchemeListApi(_FundingListApi):
    """Published funding schemes, by name: stages, instruments, eligibility, amounts, dates."""

    @extend_schema(
        operation_id="funding_schemes",
        parameters=[
            *FUNDING_PARAMETERS,
            OpenApiParameter("instrument", str, description="Instrument (subvention...)."),
            OpenApiParameter("open", bool, description="true : seulement ouverts aujourd'hui."),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Liste paginée.")},
    )
    def get(self, request: Request) -> Response:
        return self._list(request, select=funding_scheme_list, as_dict=funding_scheme_as_dict)


class SupportOfferListApi(_FundingListApi):
    """Published support offers, by name: stages, kinds, eligibility, provider, cost."""

    @extend_schema(
        operation_id="support_offers",
        parameters=FUNDING_PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Liste paginée.")},
    )
    def get(self, request: Request) -> Response:
        return self._list(request, select=support_offer_list, as_dict=support_offer_as_dict)
