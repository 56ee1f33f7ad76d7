"""Public API of the directory (`/api/v1/`): the pathway and the funding landscape, documented
by OpenAPI. The map's GeoJSON endpoints are cartography's (cartography.api)."""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directory import vocabulary
from directory.api_schema import (
    PAGING_PARAMETERS,
    SEARCH_SCHEMA,
    DirectoryOrganisationDetailSerializer,
    DirectoryPageSerializer,
    ErrorSerializer,
    FundingSchemePageSerializer,
    NotFoundSerializer,
    PathwaySerializer,
    SupportOfferPageSerializer,
    integer_or_empty,
)
from directory.areas import area_filter_notices
from directory.filters import DirectoryApiSortForm, ListPagingForm, OrganisationFilterForm
from directory.limits import LIST_MAX_LIMIT, LIST_MAX_ROWS
from directory.models import Organisation, TerritoryScope
from directory.pathway.forms import FundingFilterForm, PathwayForm, pathway_form_is_placed
from directory.pathway.selectors import pathway_get
from directory.selectors import Origin, organisation_api_get, organisation_search
from directory.selectors.credit import organisation_credits_get
from directory.selectors.funding import funding_scheme_list, support_offer_list
from directory.serializers import (
    funding_scheme_as_dict,
    organisation_as_dict,
    pathway_as_dict,
    support_offer_as_dict,
)

PATHWAY_PARAMETERS = [
    OpenApiParameter(
        "stage",
        str,
        required=True,
        description="Étape : pre-amorcage, amorcage, consolidation, changement-d-echelle.",
        enum=vocabulary.STAGES,
    ),
    OpenApiParameter(
        "legal_family",
        str,
        description="Famille juridique (association...).",
        enum=vocabulary.LEGAL_FAMILIES,
    ),
    OpenApiParameter(
        "sector", str, description="Filière (alimentation-durable...).", enum=vocabulary.SECTORS
    ),
    OpenApiParameter(
        "need",
        str,
        many=True,
        description="financement et/ou accompagnement (les deux quand absent).",
        enum=("financement", "accompagnement"),
    ),
    OpenApiParameter(
        "instrument",
        str,
        many=True,
        description="Instrument (subvention...).",
        enum=vocabulary.FUNDING_INSTRUMENTS,
    ),
    OpenApiParameter("amount", int, description="Montant recherché, en euros."),
    OpenApiParameter(
        "support_kind",
        str,
        many=True,
        description="Type d'accompagnement (incubation...).",
        enum=vocabulary.SUPPORT_KINDS,
    ),
    OpenApiParameter(
        "place_service",
        str,
        many=True,
        description=(
            "Service d'un lieu dont le projet a besoin (domiciliation, salles, bureaux, "
            "stockage, cuisine...) : `places` liste alors les lieux qui le proposent. Les "
            "services sont une liste que l'équipe tient à jour (pas d'énumération fixe) : "
            "un service inconnu donne une 400 ; vide : ignoré."
        ),
    ),
    OpenApiParameter(
        "where",
        str,
        description="adresse (avec lat, lon ou address), quartier, lille (défaut, ou vide).",
        enum=("adresse", "quartier", "lille", ""),
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
                PathwaySerializer,
                description=(
                    "`funding_schemes` et `support_offers` : ce qui convient maintenant, "
                    "classé par `score`, chacun avec ses `reasons` (en français), ses points "
                    "`to_check` ; `soon` : ouvre plus tard ; `organisations` : financeurs et "
                    "structures, les plus proches d'abord (`distance_m`) ; `road_ahead` : ce "
                    "qui s'ouvre aux étapes suivantes ; `recurring` : dispositifs clôturés qui "
                    "reviennent ; `excluded` : le reste, avec `excluded_because` ; `places` : "
                    "les lieux qui proposent un service demandé (`place_service`), avec ses "
                    "conditions, les plus proches d'abord."
                ),
            ),
            400: OpenApiResponse(ErrorSerializer, description="Paramètre invalide."),
        },
    )
    def get(self, request: Request) -> Response:
        form = PathwayForm(request.query_params)
        if not pathway_form_is_placed(form):
            return Response({"erreur": form.error_text(), "champs": form.errors}, status=400)
        result = pathway_get(project=form.project(), today=form.today())
        return Response(pathway_as_dict(result, today=form.today()))


#: What the funding lists say of a taxonomy filter (FundingFilterForm, strict).
TERM_HELP = "Vide : pas de filtre ; une valeur inconnue : 400 qui nomme les valeurs possibles."


def _or_empty(terms) -> tuple[str, ...]:
    """The enum of a single-valued filter: its terms, and empty for "no filter"."""
    return (*terms, "")


FUNDING_PARAMETERS = [
    OpenApiParameter(
        "q",
        SEARCH_SCHEMA,
        description=(
            "Mots recherchés dans le nom, la présentation et l'éligibilité (français, sans "
            "accents, synonymes de l'ESS : « pret » trouve aussi « emprunt », fautes de frappe "
            "tolérées). Les résultats sont alors triés par pertinence. 200 caractères au plus."
        ),
    ),
    OpenApiParameter(
        "stage",
        str,
        description=f"Étape couverte (amorcage...). {TERM_HELP}",
        enum=_or_empty(vocabulary.STAGES),
    ),
    OpenApiParameter(
        "legal_family",
        str,
        description=f"Ouvert à cette famille (ou à toutes). {TERM_HELP}",
        enum=_or_empty(vocabulary.LEGAL_FAMILIES),
    ),
    OpenApiParameter(
        "sector",
        str,
        description=f"Ouvert à cette filière (ou à toutes). {TERM_HELP}",
        enum=_or_empty(vocabulary.SECTORS),
    ),
    OpenApiParameter(
        "scope",
        str,
        description=f"Échelle du territoire (commune, region...). {TERM_HELP}",
        enum=_or_empty(TerritoryScope.values),
    ),
    *PAGING_PARAMETERS,
]


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`limit` and `offset`, refused with a 400 in French unless whole numbers within the
    bounds of `ListPagingForm` (a deep offset scans every row before it)."""

    def paginate_queryset(self, queryset, request, view=None):
        paging = ListPagingForm(request.query_params)
        if not paging.is_valid():
            text = " ".join(str(message) for errors in paging.errors.values() for message in errors)
            raise ValidationError({"erreur": text, "champs": paging.errors})
        return super().paginate_queryset(queryset, request, view)


class _FundingListApi(APIView):
    """A paginated plain-JSON list (`limit`, `offset`) filtered by `FundingFilterForm`.

    An APIView with a paginator rather than a GenericAPIView: there is no queryset for DRF's
    browsable pages to build a filter form from (they failed with a 500 on a browser's
    `Accept: text/html`)."""

    pagination_class = BoundedLimitOffsetPagination

    def _list(self, request: Request, *, select, as_dict) -> Response:
        form = FundingFilterForm(request.query_params, strict=True)
        if not form.is_valid():
            return Response({"erreur": form.error_text(), "champs": form.errors}, status=400)
        paginator = self.pagination_class()
        items = select(filters=form.filters(today=date.today()))
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response([as_dict(item) for item in page])


class FundingSchemeListApi(_FundingListApi):
    """Published funding schemes, by name (by relevance with `q`): stages, instruments,
    eligibility, amounts, dates."""

    @extend_schema(
        operation_id="funding_schemes",
        parameters=[
            *FUNDING_PARAMETERS,
            OpenApiParameter(
                "instrument",
                str,
                description=f"Instrument (subvention...). {TERM_HELP}",
                enum=_or_empty(vocabulary.FUNDING_INSTRUMENTS),
            ),
            OpenApiParameter("open", bool, description="true : seulement ouverts aujourd'hui."),
        ],
        responses={
            200: OpenApiResponse(FundingSchemePageSerializer, description="Liste paginée."),
            400: OpenApiResponse(ErrorSerializer, description="Paramètre invalide."),
        },
    )
    def get(self, request: Request) -> Response:
        return self._list(request, select=funding_scheme_list, as_dict=funding_scheme_as_dict)


class SupportOfferListApi(_FundingListApi):
    """Published support offers, by name (by relevance with `q`): stages, kinds, eligibility,
    provider, cost."""

    @extend_schema(
        operation_id="support_offers",
        parameters=FUNDING_PARAMETERS,
        responses={
            200: OpenApiResponse(SupportOfferPageSerializer, description="Liste paginée."),
            400: OpenApiResponse(ErrorSerializer, description="Paramètre invalide."),
        },
    )
    def get(self, request: Request) -> Response:
        return self._list(request, select=support_offer_list, as_dict=support_offer_as_dict)


#: Organisations per page of `/api/v1/directory/organisations/`.
ORGANISATION_API_PAGE_SIZE = 50


class DirectoryOrganisationListApi(APIView):
    """The directory's published organisations, as `/annuaire/` finds them (same filters,
    sort and page), each fact with its credit: the source, its licence and date, or who
    typed it ("saisi par la structure / le réseau / l'équipe Cartess, le <date>")."""

    @extend_schema(
        operation_id="directory_organisations",
        parameters=[
            OpenApiParameter(
                "q", SEARCH_SCHEMA, description="Texte recherché (nom, présentation...)."
            ),
            OpenApiParameter(
                "kind",
                str,
                many=True,
                description="Type (financeur...).",
                enum=vocabulary.ORGANISATION_KINDS,
            ),
            OpenApiParameter(
                "sector", str, many=True, description="Filière.", enum=vocabulary.SECTORS
            ),
            OpenApiParameter(
                "sort",
                str,
                description="relevance, name ou distance.",
                enum=("relevance", "name", "distance"),
            ),
            OpenApiParameter(
                "page",
                integer_or_empty(1, LIST_MAX_ROWS),
                description=(
                    f"Page (de `limit` organisations), tant qu'elle finit dans les "
                    f"{LIST_MAX_ROWS} premiers résultats (au-delà, 400)."
                ),
            ),
            OpenApiParameter(
                "limit",
                integer_or_empty(1, LIST_MAX_LIMIT),
                description=(
                    f"Organisations par page, de 1 à {LIST_MAX_LIMIT} "
                    f"({ORGANISATION_API_PAGE_SIZE} par défaut) ; au-delà, 400. Avec "
                    "`sort=distance`, `limit=10` donne les 10 plus proches en une lecture "
                    "de l'index spatial."
                ),
            ),
        ],
        responses={
            200: OpenApiResponse(
                DirectoryPageSerializer,
                description=(
                    "`count`, `page`, `pages`, `results` : chaque organisation avec ses "
                    "champs, `credit` par champ renseigné (`text` : « Source : … » ou « Saisi "
                    "par la structure, le … » ; `sources` : nom, licence, date ; `typed_by` : "
                    "qui et quand) et `sources` (toutes les sources de la fiche)."
                ),
            ),
            400: OpenApiResponse(ErrorSerializer, description="Paramètre invalide."),
            404: OpenApiResponse(description="Page au-delà de la dernière."),
            409: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Filtre sur une couche non chargée (`qpv`, `quartier`) : "
                    "« couche … non chargée », jamais une liste vide."
                ),
            ),
        },
    )
    def get(self, request: Request) -> Response:
        filters = OrganisationFilterForm(request.query_params, strict=True)
        sorting = DirectoryApiSortForm(request.query_params, page_size=ORGANISATION_API_PAGE_SIZE)
        valid = [filters.is_valid(), sorting.is_valid()]
        if not all(valid):
            errors = {**filters.errors, **sorting.errors}
            text = " ".join(str(message) for messages in errors.values() for message in messages)
            return Response({"erreur": text, "champs": errors}, status=400)
        # A filter on a layer that is not loaded is said, never answered as "none" (issue 15).
        missing, partial = area_filter_notices(filters=filters.filters())
        if missing:
            return Response({"erreur": " ".join(missing), "couche_non_chargee": True}, status=409)
        lat, lon = sorting.cleaned_data.get("lat"), sorting.cleaned_data.get("lon")
        result = organisation_search(
            filters=filters.filters(),
            sort=sorting.cleaned_data["sort"],
            origin=Origin(lat=lat, lon=lon) if lat is not None and lon is not None else None,
            page=sorting.cleaned_data["page"] or 1,
            page_size=sorting.page_size,
        )
        if result.page > result.page_count:
            raise NotFound(
                _("Cette page n'existe pas : il y a %(n)s page(s).") % {"n": result.page_count}
            )
        credits = organisation_credits_get(organisations=result.organisations)
        page = {
            "count": result.total,
            "count_capped": result.is_capped,
            "page": result.page,
            "pages": result.page_count,
            "results": [organisation_as_dict(o, credits[o.pk]) for o in result.organisations],
        }
        if partial:  # e.g. QPV codes from SIRENE but no outlines: said beside the answer
            page["avertissement"] = " ".join(partial)
        return Response(page)


class DirectoryOrganisationDetailApi(APIView):
    """One published organisation (by its slug or its number), each fact with its credit,
    as the list gives them, and the date it closed, if it did."""

    @extend_schema(
        operation_id="directory_organisation",
        responses={
            200: OpenApiResponse(
                DirectoryOrganisationDetailSerializer,
                description=(
                    "L'organisation comme dans la liste (`/api/v1/directory/organisations/`) : "
                    "ses champs, `credit` par champ renseigné (source, licence et date, ou "
                    "« Saisi par la structure / le réseau / l'équipe Cartess, le … ») et "
                    "`sources` ; `closed_on` : la date de fermeture, ou null."
                ),
            ),
            404: OpenApiResponse(NotFoundSerializer, description="Aucune fiche publiée."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        try:
            organisation = organisation_api_get(key=slug)
        except Organisation.DoesNotExist:
            raise NotFound(_("Aucune fiche publiée ne porte ce nom court ou ce numéro.")) from None
        credit = organisation_credits_get(organisations=[organisation])[organisation.pk]
        closed_on = organisation.closed_on.isoformat() if organisation.closed_on else None
        return Response(organisation_as_dict(organisation, credit) | {"closed_on": closed_on})
