"""`/foncier/`: the land workspace of city services (staff only), and the public need form.

Every view but the need form and its thank-you page is for city services
(directory.access.land_staff_required: the role CITY_SERVICES; superusers pass): anonymous
visitors are sent to the login page, other users get 403. The two exports also open to a
reader token of city staff (`land_reader_required`), without a session.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cartography.forms import (
    LandFilterForm,
    NeedForm,
    NeedStatusForm,
    NoteForm,
    PremisesForm,
    ProposalForm,
    ProposeToNeedForm,
    StageForm,
    ThirdPlaceFilterForm,
)
from cartography.models import (
    PIPELINE_TRANSITIONS,
    PipelineStage,
    Premises,
    PremisesKind,
    PremisesNeed,
    PremisesStatus,
)
from cartography.selectors import (
    LAND_LIST_FIELDS,
    land_export_geojson,
    land_feature_collection_get,
    land_premises_list,
    map_config_get,
    need_candidates_get,
    need_proposals_get,
    needs_list_get,
    premises_context_get,
    premises_workspace_get,
    third_places_to_qualify_get,
    third_places_with_spaces_get,
)
from cartography.services import (
    NeedData,
    need_create,
    need_proposal_create,
    need_status_set,
    premises_note_add,
    premises_staff_save,
    premises_stage_move,
)
from directory.access import land_staff_required, user_is_city_staff
from directory.areas import area_kinds_loaded_get
from directory.csv_export import csv_response
from directory.exports.origin import (
    ORIGIN_COLUMNS_WITH_SOURCES,
    data_origin_get,
    internal_licence,
    origin_row,
)
from directory.exports.tables import cell
from directory.models import GeocodingQuality, Organisation
from directory.reader_access import reader_access_required


def _script_json(text: str):
    """JSON text built by PostGIS, safe inside a <script> element (like `json_script`)."""
    escaped = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(escaped)  # noqa: S308 - the three HTML-sensitive characters are escaped


def _selection(request: HttpRequest) -> tuple[LandFilterForm, list[Premises]]:
    form = LandFilterForm(request.GET)
    form.is_valid()  # an invalid filter is shown next to its field and ignored
    return form, land_premises_list(filters=form.filters())


@require_safe
@land_staff_required
def land_list(request: HttpRequest) -> HttpResponse:
    """`/foncier/`: the sites matching the filters, on a map and in a table."""
    form, sites = _selection(request)
    context = {
        "form": form,
        "sites": sites,
        "features": _script_json(land_feature_collection_get(ids=[site.pk for site in sites])),
        "map_config": map_config_get(),
        "labels": _labels(),
        "query": request.GET.urlencode(),
        "more_filters_open": any(
            request.GET.get(name) for name in form.fields if name not in ("kind", "stage")
        ),
    }
    return render(request, "cartography/land_list.html", context)


def _labels() -> dict:
    return {
        "kind": dict(PremisesKind.choices),
        "status": dict(PremisesStatus.choices),
        "stage": dict(PipelineStage.choices),
        "detailUrl": reverse("cartography:land-site", kwargs={"slug": "__slug__"}),
    }


EXPORT_FIELDS = [name for name in LAND_LIST_FIELDS if "__" not in name and name != "third_place"]
#: The staff CSV's column of each field, in French like every CSV of Cartess (one language
#: per file: the GIS files are in English).
EXPORT_COLUMNS = {
    "name": "nom",
    "slug": "identifiant",
    "kind": "type",
    "street": "adresse",
    "postcode": "code_postal",
    "city": "commune",
    "surface_m2": "surface_m2",
    "built_surface_m2": "surface_batie_m2",
    "owner_type": "type_proprietaire",
    "owner_name": "proprietaire",
    "status": "statut",
    "available_from": "disponible_le",
    "pipeline_stage": "etape",
    "planning_zone": "zone_plu",
    "pollution": "pollution",
    "publication_status": "publication",
}


#: Where a site is, in the staff CSV: its point in EPSG:4326 with a decimal comma (a French
#: spreadsheet reads it as a number; a GIS tool reads the columns as X/Y) and its outline
#: as WKT, empty when only a point is known.
WHERE_COLUMNS = ["longitude", "latitude", "emprise_wkt"]


def _where_by_site(sites: list[Premises]) -> dict[int, list]:
    """WHERE_COLUMNS of each site of `sites`, by id: one query (the list defers geometry)."""
    found = Premises.objects.filter(pk__in=[site.pk for site in sites])
    where = {}
    for pk, point, footprint in found.values_list("pk", "location", "footprint"):
        lonlat = [cell(round(value, 6)) for value in point.coords] if point else ["", ""]
        where[pk] = [*lonlat, footprint.wkt if footprint else ""]
    return where


#: `land_staff_required` for a session; with `Authorization: Token <secret>` (a reader
#: token, as on `/ogc/`), the token's person must be city staff: a French 401 or 403 in JSON
#: otherwise, never a login page, so that a script or a GIS tool downloads the staff files
#: without a cookie (directory.reader_access).
land_reader_required = reader_access_required(
    user_is_city_staff,
    refused=gettext_lazy("Ce jeton n'ouvre pas les couches réservées aux services de la Ville."),
)


@require_safe
@land_reader_required
def land_export_csv(request: HttpRequest) -> HttpResponse:
    """The current selection as CSV (UTF-8 with BOM, `;`), every field: staff only."""
    _form, sites = _selection(request)
    origin = origin_row(data_origin_get(model=Premises), licence=internal_licence())
    where = _where_by_site(sites)
    rows = (
        [
            *(getattr(site, name) for name in EXPORT_FIELDS),
            site.quartier_name or "",
            getattr(site.third_place, "name", ""),
            *where[site.pk],
            *origin,
        ]
        for site in sites
    )
    header = [
        *(EXPORT_COLUMNS[name] for name in EXPORT_FIELDS),
        "quartier",
        "tiers_lieu",
        *WHERE_COLUMNS,
        *ORIGIN_COLUMNS_WITH_SOURCES,
    ]
    return csv_response(filename="cartess-foncier.csv", header=header, rows=rows)


@require_safe
@land_reader_required
def land_export_geojson_view(request: HttpRequest) -> HttpResponse:
    """The current selection as GeoJSON built by PostGIS, every field: staff only."""
    _form, sites = _selection(request)
    response = HttpResponse(
        land_export_geojson(ids=[site.pk for site in sites]), content_type="application/geo+json"
    )
    response["Content-Disposition"] = 'attachment; filename="cartess-foncier.geojson"'
    return response


def _site_or_404(slug: str) -> Premises:
    try:
        return premises_workspace_get(slug=slug)
    except Premises.DoesNotExist as error:
        raise Http404 from error


def _render_site(request, premises, *, status=200, **forms):
    allowed = PIPELINE_TRANSITIONS.get(premises.pipeline_stage, ())
    # The follow-up forms' outcomes (tagged "suivi") show next to those forms, where the
    # redirect's #resultat-suivi puts the focus; the others (site saved) at the top.
    shown = list(messages.get_messages(request))
    context = {
        "follow_up_messages": [m for m in shown if "suivi" in (m.extra_tags or "")],
        "page_messages": [m for m in shown if "suivi" not in (m.extra_tags or "")],
        "propose_form": forms.get("propose_form") or ProposeToNeedForm(),
        "site": premises,
        "context": premises_context_get(premises=premises),
        "loaded_areas": area_kinds_loaded_get(),
        "note_form": forms.get("note_form") or NoteForm(),
        "stage_form": forms.get("stage_form") or StageForm(allowed=allowed),
        "feature": _script_json(land_feature_collection_get(ids=[premises.pk])),
        "stages": PipelineStage.choices,
        "map_config": map_config_get(),
        "labels": _labels(),
    }
    return render(request, "cartography/land_site.html", context, status=status)


def _back_to_follow_up(request: HttpRequest, slug: str, done: str) -> HttpResponse:
    """Back to the site's follow-up after a form succeeded: `done` is shown next to the forms
    and, as the URL's target (#resultat-suivi), takes the focus, so a keyboard or screen
    reader user hears it and goes on from there rather than from the top of the page."""
    messages.success(request, done, extra_tags="suivi")
    return redirect(reverse("cartography:land-site", kwargs={"slug": slug}) + "#resultat-suivi")


@require_safe
@land_staff_required
def land_site(request: HttpRequest, slug: str) -> HttpResponse:
    """`/foncier/<slug>/`: a site, its spatial context, its pipeline, notes and proposals."""
    return _render_site(request, _site_or_404(slug))


@require_POST
@land_staff_required
def land_note_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a dated note to a site (POST); notes are kept as written."""
    premises = _site_or_404(slug)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_site(request, premises, note_form=form, status=400)
    premises_note_add(premises=premises, text=form.cleaned_data["text"], author=request.user)
    return _back_to_follow_up(request, slug, _("Note ajoutée."))


@require_POST
@land_staff_required
def land_stage_move(request: HttpRequest, slug: str) -> HttpResponse:
    """Move a site along the pipeline (POST), recorded with its author and comment."""
    premises = _site_or_404(slug)
    form = StageForm(request.POST, allowed=PIPELINE_TRANSITIONS.get(premises.pipeline_stage, ()))
    if form.is_valid():
        try:
            event = premises_stage_move(
                premises=premises,
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
                author=request.user,
            )
        except ValidationError as error:
            form.add_error("to_stage", error)
        else:
            label = event.get_to_stage_display()
            done = _("Site passé à l'étape « %(stage)s ».") % {"stage": label}
            return _back_to_follow_up(request, slug, done)
    return _render_site(request, premises, stage_form=form, status=400)


@require_POST
@land_staff_required
def land_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a site to an open need (POST); the site's pipeline records it."""
    premises = _site_or_404(slug)
    form = ProposeToNeedForm(request.POST)
    if form.is_valid():
        try:
            need_proposal_create(
                need=form.cleaned_data["need"],
                premises=premises,
                note=form.cleaned_data["note"],
                author=request.user,
            )
        except ValidationError as error:
            form.add_error("need", error)
        else:
            return _back_to_follow_up(request, slug, _("Site proposé ; son suivi l'enregistre."))
    return _render_site(request, premises, propose_form=form, status=400)


def _initial_from_third_place(request: HttpRequest) -> dict:
    """A new space of a real third place: its name, address and point, nothing invented."""
    slug = request.GET.get("tiers_lieu")
    if not slug:
        return {}
    place = get_object_or_404(Organisation, slug=slug, kinds__slug="tiers-lieu")
    return {
        "name": _("Espace de %(name)s") % {"name": place.name},
        "kind": PremisesKind.THIRD_PLACE_SPACE,
        "third_place": place,
        "street": place.street,
        "postcode": place.postcode,
        "city": place.city,
        "location": place.location,
    }


def _save_site(request: HttpRequest, form: PremisesForm) -> HttpResponse:
    premises = premises_staff_save(premises=form.save(commit=False))
    context = premises_context_get(premises=premises)
    messages.success(request, _("Site enregistré."))
    if context.surface_gap is not None:
        messages.warning(
            request,
            _(
                "La surface déclarée (%(declared)s m²) s'écarte de %(gap)s %% de la surface "
                "de l'emprise dessinée (%(computed)s m², Lambert 93) : vérifiez-la."
            )
            % {
                "declared": premises.surface_m2,
                "gap": round(context.surface_gap * 100),
                "computed": round(context.computed_area_m2),
            },
        )
    return redirect("cartography:land-site", slug=premises.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@land_staff_required
def land_site_create(request: HttpRequest) -> HttpResponse:
    """Create a site, drawing its point and/or outline on the map."""
    if request.method == "POST":
        form = PremisesForm(request.POST, csp_nonce=request.csp_nonce)
        if form.is_valid():
            return _save_site(request, form)
    else:
        form = PremisesForm(initial=_initial_from_third_place(request), csp_nonce=request.csp_nonce)
    return render(request, "cartography/land_form.html", {"form": form, "site": None})


@require_http_methods(["GET", "HEAD", "POST"])
@land_staff_required
def land_site_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a site and redraw its geometry."""
    premises = get_object_or_404(Premises, slug=slug)
    form = PremisesForm(request.POST or None, instance=premises, csp_nonce=request.csp_nonce)
    if request.method == "POST" and form.is_valid():
        return _save_site(request, form)
    return render(request, "cartography/land_form.html", {"form": form, "site": premises})


@require_safe
@land_staff_required
def third_places(request: HttpRequest) -> HttpResponse:
    """Third places: those with known spaces, and the real ones still to qualify;
    `?totem=on` keeps the "lieux totems"."""
    form = ThirdPlaceFilterForm(request.GET)
    totem_only = form.is_valid() and form.cleaned_data["totem"]
    context = {
        "form": form,
        "totem_only": totem_only,
        "with_spaces": third_places_with_spaces_get(totem_only=totem_only),
        "to_qualify": third_places_to_qualify_get(totem_only=totem_only),
        "quality_manual": GeocodingQuality.MANUAL,
    }
    return render(request, "cartography/land_third_places.html", context)


@require_safe
@land_staff_required
def need_list(request: HttpRequest) -> HttpResponse:
    """`/foncier/besoins/`: the premises needs declared, newest first."""
    return render(request, "cartography/need_list.html", {"needs": needs_list_get()})


def _render_need(request, need, *, form=None, status=200):
    # A proposal's outcome (tagged "proposition") shows above the proposed sites, where the
    # redirect's #resultat-proposition puts the focus; the others (status changed) at the top.
    shown = list(messages.get_messages(request))
    context = {
        "proposal_messages": [m for m in shown if "proposition" in (m.extra_tags or "")],
        "page_messages": [m for m in shown if "proposition" not in (m.extra_tags or "")],
        "need": need,
        "kinds": [PremisesKind(kind).label for kind in need.kinds],
        "candidates": need_candidates_get(need=need),
        "proposals": need_proposals_get(need=need),
        "form": form or ProposalForm(),
        "status_form": NeedStatusForm(initial={"status": need.status}),
    }
    return render(request, "cartography/need_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@land_staff_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A need, its candidate sites ranked with their reasons; POST proposes a site."""
    need = get_object_or_404(PremisesNeed.objects.prefetch_related("quartiers"), pk=pk)
    if request.method != "POST":
        return _render_need(request, need)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            need_proposal_create(
                need=need,
                premises=form.cleaned_data["premises"],
                note=form.cleaned_data["note"],
                author=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Back to the proposed sites, the new one among them, rather than to the top.
            done = _("Site proposé ; son suivi l'enregistre.")
            messages.success(request, done, extra_tags="proposition")
            url = reverse("cartography:need", kwargs={"pk": need.pk})
            return redirect(f"{url}#resultat-proposition")
    return _render_need(request, need, form=form, status=400)


@require_POST
@land_staff_required
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status of a need (POST)."""
    need = get_object_or_404(PremisesNeed, pk=pk)
    form = NeedStatusForm(request.POST)
    if not form.is_valid():
        return _render_need(request, need, status=400)
    need_status_set(need=need, status=form.cleaned_data["status"])
    messages.success(request, _("Statut du besoin mis à jour."))
    return redirect("cartography:need", pk=need.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def need_declare(request: HttpRequest) -> HttpResponse:
    """`/foncier/besoins/nouveau/` (public): a project holder declares a premises need."""
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            data = {name: form.cleaned_data.get(name) for name in NeedData.__dataclass_fields__}
            need_create(data=NeedData(**{k: v for k, v in data.items() if v is not None}))
        return redirect("cartography:need-thanks")
    return render(request, "cartography/need_form.html", {"form": form})


@require_safe
def need_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "cartography/need_thanks.html")
