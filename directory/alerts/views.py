"""`/alertes/`: ask to follow a search, confirm it, manage it, unsubscribe (no account).

The links of the e-mails are signed (directory.alerts.links). Confirming takes a click on a
"Confirmer" button (a POST), so that a mail scanner opening the link confirms nothing;
unsubscribing takes one click on the page's button, or none from a mail client that speaks
RFC 8058 (`List-Unsubscribe-Post`: a POST on the same link, without a CSRF token, which the
signed link replaces).
"""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from directory.alerts.criteria import criteria_path
from directory.alerts.forms import HONEYPOT, AlertRequestForm
from directory.alerts.links import (
    CONFIRM,
    MANAGE,
    UNSUBSCRIBE,
    AlertLinkError,
    alert_link_open,
    alert_link_path,
)
from directory.alerts.services import (
    alert_request_rate_limited,
    saved_search_confirm,
    saved_search_request,
    saved_search_unsubscribe,
)
from directory.models import SavedSearch, SavedSearchPage

GET_OR_POST = ["GET", "HEAD", "POST"]


def criteria_path_of(saved_search: SavedSearch) -> str:
    return criteria_path(page=saved_search.page, query=saved_search.query)


def _search_path(form: AlertRequestForm) -> str:
    page = form["page"].value()
    if page not in SavedSearchPage.values:
        return ""
    return criteria_path(page=page, query=form["criteres"].value() or "")


def _submit(request: HttpRequest, form: AlertRequestForm) -> HttpResponse | None:
    """Ask for the saved search, or None after adding why to `form`."""
    if form.cleaned_data[HONEYPOT]:
        return redirect("alerts:requested")  # a robot learns nothing
    if alert_request_rate_limited(ip_address=get_client_ip_address(request) or ""):
        return render(request, "alerts/too_many.html", status=429)
    data = form.cleaned_data
    try:
        saved_search_request(email=data["email"], page=data["page"], query=data["criteres"])
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return redirect("alerts:requested")


@require_http_methods(GET_OR_POST)
def alert_request(request: HttpRequest) -> HttpResponse:
    """`/alertes/`: the address to send the news of a search to (the pages post here)."""
    initial = {"page": request.GET.get("page", ""), "criteres": request.GET.get("criteres", "")}
    form = AlertRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _submit(request, form)
        if response is not None:
            return response
    context = {"form": form, "search_path": _search_path(form)}
    return render(request, "alerts/request.html", context, status=400 if form.errors else 200)


@require_safe
def alert_requested(request: HttpRequest) -> HttpResponse:
    """`/alertes/demande-envoyee/`: look for the confirmation e-mail."""
    return render(request, "alerts/requested.html")


def _link_error(request: HttpRequest, error: AlertLinkError) -> HttpResponse:
    return render(request, "alerts/link_error.html", {"error": error}, status=error.status)


@never_cache
@require_http_methods(GET_OR_POST)
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: a page with a "Confirmer" button; the POST confirms."""
    try:
        saved_search = alert_link_open(token=token, action=CONFIRM)
    except AlertLinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        saved_search_confirm(saved_search=saved_search)
        messages.success(
            request, _("Alerte confirmée : vous recevrez les nouveautés de cette recherche.")
        )
        return redirect(alert_link_path(saved_search=saved_search, action=MANAGE))
    context = {"saved_search": saved_search, "search_path": criteria_path_of(saved_search)}
    return render(request, "alerts/confirm.html", context)


@never_cache
@require_safe
def alert_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The manage link: what is followed, since when, the last digest, unsubscribe."""
    try:
        saved_search = alert_link_open(token=token, action=MANAGE)
    except AlertLinkError as error:
        return _link_error(request, error)
    context = {
        "saved_search": saved_search,
        "search_path": criteria_path_of(saved_search),
        "unsubscribe_path": alert_link_path(saved_search=saved_search, action=UNSUBSCRIBE),
    }
    return render(request, "alerts/manage.html", context)


@never_cache
@csrf_exempt
@require_http_methods(GET_OR_POST)
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link: a page with one button; the POST (the button, or the mail
    client's one click) stops the digests at once."""
    try:
        saved_search = alert_link_open(token=token, action=UNSUBSCRIBE)
    except AlertLinkError as error:
        return _link_error(request, error)
    if request.method == "POST":
        saved_search_unsubscribe(saved_search=saved_search)
    context = {"saved_search": saved_search, "search_path": criteria_path_of(saved_search)}
    return render(request, "alerts/unsubscribe.html", context)
