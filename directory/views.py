"""Public pages of the directory, its CSV export, and the health check probes read.

What these pages show of the map (tiles, a third place's spaces) and the home page's count of
premises come from cartography's template tags (`{% load cartography %}`): the directory does
not import cartography. The GeoJSON export is cartography's organisations layer
(cartography.views.organisation_export_geojson).
"""

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import Error as DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from directory import serializers
from directory.access import (
    funding_coverage_required,
    organisation_editable_by,
    user_is_moderator,
    user_reads_funding_coverage,
)
from directory.areas import area_filter_notices
from directory.contributions.selectors import claim_pending_for
from directory.csv_export import csv_response
from directory.exports.origin import ORIGIN_COLUMNS_WITH_SOURCES, data_origin_get, origin_row
from directory.exports.package import ORIGIN_COLUMNS, origin_cells
from directory.exports.tables import cell
from directory.filters import (
    DirectorySortForm,
    OrganisationFilterForm,
    UnifiedSearchForm,
    export_query_parse,
)
from directory.freshness.selectors import link_check_get
from directory.funding_page import funding_page
from directory.merging import organisation_alias_target
from directory.models import FundingScheme, Organisation, SupportOffer
from directory.pathway.forms import FundingFilterForm, PathwayForm, pathway_form_is_placed
from directory.pathway.page import pathway_page
from directory.pathway.selectors import pathway_get
from directory.reader_access import reader_access_required
from directory.selectors import (
    DIRECTORY_PAGE_SIZE,
    EXPORT_HEADER,
    Origin,
    database_postgis_version_get,
    directory_summary_get,
    organisation_card_search,
    organisation_detail_get,
    organisation_export_rows,
    organisation_filter_choices_get,
)
from directory.selectors.everything import unified_search, unified_search_choices_get
from directory.selectors.funding import (
    COVERAGE_CSV_HEADER,
    coverage_csv_rows,
    coverage_get,
    funding_filter_choices_get,
    funding_scheme_detail_get,
    support_offer_detail_get,
    support_offer_list_get,
)
from directory.selectors.funding_landscape import funding_landscape_get
from directory.structured_data import funding_scheme_json_ld, organisation_json_ld

logger = logging.getLogger(__name__)

#: The coverage's CSV for a session of the admin staff or city services, or for their reader
#: token (a script or a spreadsheet's web query has no cookie): directory.reader_access.
coverage_reader_required = reader_access_required(
    user_reads_funding_coverage,
    refused=gettext_lazy(
        "Ce jeton n'ouvre pas la couverture des financements : elle est réservée à l'équipe "
        "Cartess et aux services de la Ville."
    ),
)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page: what Cartess is for, with the counts of what it lists."""
    context = {"summary": directory_summary_get()}
    return render(request, "directory/home.html", context)


def _valid_forms(request: HttpRequest) -> tuple[OrganisationFilterForm, DirectorySortForm]:
    filters = OrganisationFilterForm(request.GET)
    sorting = DirectorySortForm(request.GET, page_size=DIRECTORY_PAGE_SIZE)
    filters.is_valid()
    sorting.is_valid()
    return filters, sorting


def _origin(sorting: DirectorySortForm) -> Origin | None:
    data = getattr(sorting, "cleaned_data", {})
    lat, lon = data.get("lat"), data.get("lon")
    return Origin(lat=lat, lon=lon) if lat is not None and lon is not None else None


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """`/annuaire/`: the organisations matching the filters, one page at a time."""
    filters, sorting = _valid_forms(request)
    context = {"form": filters, "sorting": sorting, "choices": organisation_filter_choices_get()}
    context["ban_url"] = settings.CARTESS_BAN_BASE_URL.rstrip("/")
    if filters.errors or sorting.errors:
        return render(request, "directory/directory.html", context, status=400)
    missing, context["partial_layers"] = area_filter_notices(
        filters=filters.filters(), loaded=context["choices"].loaded_areas
    )
    if missing:
        context["missing_layers"] = missing
        return render(request, "directory/directory.html", context)
    context["result"] = result = organisation_card_search(
        filters=filters.filters(),
        sort=sorting.cleaned_data["sort"],
        origin=_origin(sorting),
        page=sorting.cleaned_data["page"] or 1,
    )
    if result.page > result.page_count:
        raise Http404
    return render(request, "directory/directory.html", context)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """`/recherche/`: actors, funding schemes, support offers and places for one query,
    grouped, with their counts and facets; the bare form without a query; 400 (the form
    says why) when a value is malformed or the query over-long."""
    form = UnifiedSearchForm(request.GET)
    context = {"form": form, "choices": unified_search_choices_get()}
    if not form.is_valid():
        return render(request, "directory/recherche.html", context, status=400)
    data = form.cleaned_data
    if data["q"]:
        context["result"] = unified_search(
            q=data["q"],
            kind=data["type"],
            stage=data["stage"],
            quartier=data["quartier"],
            service=data["service"],
        )
    return render(request, "directory/recherche.html", context)


@require_safe
def directory_export_csv(request: HttpRequest) -> HttpResponse:
    """The current result of the directory as CSV (UTF-8 with BOM, `;`, for spreadsheets)."""
    try:
        filters, sort = export_query_parse(request.GET)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    origin = origin_cells(data_origin_get(model=Organisation).dated)
    return csv_response(
        filename="cartess-organisations.csv",
        header=[*EXPORT_HEADER, *ORIGIN_COLUMNS],
        rows=(
            [*(cell(value) for value in row), *origin]
            for row in organisation_export_rows(filters=filters, sort=sort)
        ),
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """`/organisations/<slug>/`: every fact about one actor, with where each comes from; the
    address of a listing merged into another answers 301 to the survivor's."""
    try:
        detail = organisation_detail_get(slug=slug)
    except Organisation.DoesNotExist as error:
        survivor = organisation_alias_target(slug=slug)
        if survivor is None:
            raise Http404 from error
        return redirect("directory:organisation", slug=survivor.slug, permanent=True)
    can_edit = organisation_editable_by(user=request.user, organisation=detail.organisation)
    context = {
        "detail": detail,
        "can_edit": can_edit,
        # A failed check may be passing trouble: its editors see it, the public does not.
        "link_check": link_check_get(url=detail.organisation.website) if can_edit else None,
        "is_moderator": user_is_moderator(user=request.user),
        "claim_pending": claim_pending_for(user=request.user, organisation=detail.organisation),
        "json_ld": organisation_json_ld(
            organisation=detail.organisation, page_url=request.build_absolute_uri(request.path)
        ),
    }
    return render(request, "directory/organisation_detail.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the PostGIS version when the database answers, 503 when it does not."""
    try:
        version = database_postgis_version_get()
    except DatabaseError as error:
        # A probe polls often: one line per failure, not a stack trace.
        logger.warning("Health check: the database did not answer: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "postgis": version})


# --- Funding and support: the pathway, the funding landscape, its coverage ----------------


@require_safe
def pathway(request: HttpRequest) -> HttpResponse:
    """`/parcours/`: the questions, and once `stage` is answered, the ranked pathway."""
    form = PathwayForm(request.GET or None)
    context = {"form": form, "ban_url": settings.CARTESS_BAN_BASE_URL.rstrip("/")}
    if not request.GET:
        return render(request, "directory/parcours.html", context)
    if not pathway_form_is_placed(form):
        return render(request, "directory/parcours.html", context, status=400)
    context["result"] = result = pathway_get(project=form.project(), today=form.today())
    context["shown"] = pathway_page(result, query=request.GET)
    context["today"] = form.today()
    context["map_points"] = points = serializers.pathway_points(result)
    context["map_legend"] = {
        "contact": any(point["contact"] for point in points),
        "venue": any(point["venue"] for point in points),
    }
    return render(request, "directory/parcours.html", context)


@require_safe
def funding_schemes(request: HttpRequest) -> HttpResponse:
    """`/financements/`: every funding scheme along the life cycle, by instrument."""
    form = FundingFilterForm(request.GET)
    context = {"form": form, "choices": funding_filter_choices_get()}
    if not form.is_valid():
        return render(request, "directory/financements.html", context, status=400)
    landscape = funding_landscape_get(filters=form.filters(today=date.today()))
    context["landscape"] = landscape
    context["shown"] = funding_page(landscape, query=request.GET)
    return render(request, "directory/financements.html", context)


@require_safe
def funding_scheme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """`/financements/<slug>/`: funders, amounts, eligibility, dates, source and licence."""
    try:
        scheme, provenances = funding_scheme_detail_get(slug=slug)
    except FundingScheme.DoesNotExist as error:
        raise Http404 from error
    is_moderator = user_is_moderator(user=request.user)
    context = {
        "scheme": scheme,
        "provenances": provenances,
        "today": date.today(),
        "is_moderator": is_moderator,
        "link_check": link_check_get(url=scheme.url) if is_moderator else None,
        "json_ld": funding_scheme_json_ld(
            scheme=scheme,
            page_url=request.build_absolute_uri(request.path),
            absolute=request.build_absolute_uri,
        ),
    }
    return render(request, "directory/funding_scheme_detail.html", context)


@require_safe
def support_offer_list(request: HttpRequest) -> HttpResponse:
    """`/accompagnements/`: every published support offer by name, 30 a page."""
    q = request.GET.get("q", "").strip()[:200]
    page_obj = support_offer_list_get(page=request.GET.get("page"), q=q)
    return render(request, "directory/accompagnements.html", {"page_obj": page_obj, "q": q})


@require_safe
def support_offer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """`/accompagnements/<slug>/`: a support offer, its provider, stages and sources."""
    try:
        offer, provenances = support_offer_detail_get(slug=slug)
    except SupportOffer.DoesNotExist as error:
        raise Http404 from error
    context = {
        "offer": offer,
        "provenances": provenances,
        "is_moderator": user_is_moderator(user=request.user),
    }
    return render(request, "directory/support_offer_detail.html", context)


@require_safe
@funding_coverage_required
def funding_coverage(request: HttpRequest) -> HttpResponse:
    """`/financements/couverture/` (admin staff and city services): counts per stage,
    gaps, who serves which stage."""
    return render(
        request, "directory/couverture.html", {"coverage": coverage_get(today=date.today())}
    )


@require_safe
@coverage_reader_required
def funding_coverage_csv(request: HttpRequest) -> HttpResponse:
    """The coverage as CSV (UTF-8 with BOM, `;`), one crossing per row (admin staff and
    city services, through their session or a reader token)."""
    origin = origin_row(
        data_origin_get(model=FundingScheme)
        | data_origin_get(model=SupportOffer)
        | data_origin_get(model=Organisation)
    )
    return csv_response(
        filename="cartess-couverture.csv",
        header=[*COVERAGE_CSV_HEADER, *ORIGIN_COLUMNS_WITH_SOURCES],
        rows=(
            [*row, *origin] for row in coverage_csv_rows(coverage=coverage_get(today=date.today()))
        ),
    )
