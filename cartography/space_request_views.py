"""`/foncier/demandes-d-espace/`: the space requests no place could serve (city services
only), each made a premises need in one click."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cartography.space_requests import need_from_space_request, space_requests_for_city_get
from directory.access import land_staff_required


@require_safe
@land_staff_required
def space_requests(request: HttpRequest) -> HttpResponse:
    """The list, newest first, with what was asked and the need made from it."""
    rows = space_requests_for_city_get()[:200]
    return render(request, "cartography/space_requests.html", {"rows": rows})


@require_POST
@land_staff_required
def space_request_to_need(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the request a premises need and open it (its candidate sites)."""
    mobilisation = get_object_or_404(space_requests_for_city_get(), pk=pk)
    need = need_from_space_request(mobilisation=mobilisation)
    messages.success(request, _("Besoin de locaux créé à partir de la demande d'espace."))
    return redirect("cartography:need", pk=need.pk)
