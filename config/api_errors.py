"""Every error of `/api/` answers JSON with a French message: never an HTML page, never a
traceback.

Three places make sure of it, wired in the settings and `config/urls.py`:

- `api_exception_handler` (DRF's `EXCEPTION_HANDLER`): an error inside an API view, DRF's
  own (400, 401, 403, 404, 405, 406, 415, 429) as well as any unexpected exception, which
  is logged with its traceback and answered as a JSON 500;
- `SafeJSONParser` (DRF's JSON parser): a body nested too deep for Python's parser (JSON
  nested 100,000 deep) is a 400 "JSON illisible", like any malformed body;
- `BrowsableApiRenderer` (DRF's HTML renderer, for a browser's `Accept: text/html`): the
  pages of the API for a person, but an error is still JSON;
- `bad_request`, `permission_denied`, `page_not_found`, `server_error` (Django's error
  handlers): JSON under `/api/` (an unknown API path, a failure outside a view), the site's
  French pages elsewhere.

The JSON shape: `{"detail": "<message en français>", "code": "<code>"}`; a validation error
keeps DRF's shape (field -> messages), its messages written in French by the serializers.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _messages() -> dict[int, str]:
    """The French message of each error status, for an error that brings none of its own."""
    return {
        400: _("Requête invalide."),
        401: _("Authentification nécessaire."),
        403: _("Accès refusé."),
        404: _("Ressource introuvable."),
        405: _("Méthode non autorisée sur cette adresse."),
        406: _("Format de réponse non disponible : demandez application/json."),
        413: _("Requête trop volumineuse."),
        415: _("Type de contenu non pris en charge : envoyez du JSON (application/json)."),
        429: _("Trop de requêtes : réessayez plus tard."),
        500: _("Erreur du serveur : la requête n'a pas pu aboutir. Réessayez plus tard."),
    }


def error_payload(status_code: int, *, code: str = "", detail: str = "") -> dict:
    """`{"detail", "code"}` for an error answered with `status_code` (the status's own French
    message when `detail` is empty)."""
    message = detail or _messages().get(status_code) or _("Erreur.")
    return {"detail": str(message), "code": code or str(status_code)}


def _has_own_message(exc: exceptions.APIException) -> bool:
    """Did whoever raised `exc` give it a message (written in French by our code), rather
    than DRF's default text?"""
    return str(exc.detail) != str(exc.default_detail)


def api_exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's `EXCEPTION_HANDLER`: every exception of an API view as a French JSON answer.

    DRF's exceptions keep their status and headers (`Retry-After` of a 429); a message our
    code gave is kept, DRF's own English or half-translated defaults give way to the
    French message of their status; validation errors keep their per-field shape. Any other
    exception is logged with its traceback (logger `config.api_errors`) and answered 500,
    without its text, the request's atomic block (if any) marked for rollback. Never returns
    None (which would let Django render an HTML 500).
    """
    response = exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.error("Unexpected error in the API view %r", view, exc_info=exc)
        # Answered rather than raised: what the view wrote must still be rolled back.
        set_rollback()
        return Response(error_payload(500, code="server_error"), status=500)
    if isinstance(exc, exceptions.ValidationError):
        return response
    if isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else ""
        if isinstance(exc, exceptions.ParseError) and not isinstance(exc, UnreadableBody):
            # DRF's parsers say why in English ("JSON parse error - Expecting value...").
            detail = _("Corps de la requête illisible.")
        elif _has_own_message(exc):
            detail = str(exc.detail)
        else:
            detail = ""
        response.data = error_payload(response.status_code, code=code, detail=detail)
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            response.data["retry_after"] = int(exc.wait)
    else:
        # Django's Http404 and PermissionDenied, turned into DRF's by `exception_handler`.
        response.data = error_payload(response.status_code)
    return response


class UnreadableBody(exceptions.ParseError):
    """A request body `SafeJSONParser` could not read, with the French reason."""


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with French reasons; a body Python cannot parse without exhausting
    its stack (JSON nested 100,000 deep) is a 400 like any malformed body, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise UnreadableBody(
                _("Corps de la requête illisible : JSON trop profondément imbriqué.")
            ) from error
        except exceptions.ParseError as error:
            raise UnreadableBody(
                _("Corps de la requête illisible : ce n'est pas du JSON valide.")
            ) from error


class BrowsableApiRenderer(BrowsableAPIRenderer):
    """DRF's HTML pages of the API for a browser, except for an error: that one is JSON
    (`application/json`) whatever the browser asked, like every other API error."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= status.HTTP_400_BAD_REQUEST:
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data, "application/json", renderer_context)
        return super().render(data, accepted_media_type, renderer_context)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json_error(status_code: int, code: str) -> JsonResponse:
    return JsonResponse(
        error_payload(status_code, code=code),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's `handler400`: JSON under `/api/`, the site's French page elsewhere."""
    if _is_api(request):
        return _json_error(400, "bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's `handler403`: JSON under `/api/`, the site's French page elsewhere."""
    if _is_api(request):
        return _json_error(403, "permission_denied")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's `handler404`: JSON under `/api/` (an unknown API address), the site's French
    page elsewhere."""
    if _is_api(request):
        return _json_error(404, "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's `handler500`: JSON under `/api/`, the site's self-contained French page
    elsewhere. Reads nothing from the database (it may be what failed)."""
    if _is_api(request):
        return _json_error(500, "server_error")
    return defaults.server_error(request)


__all__ = [
    "BrowsableApiRenderer",
    "SafeJSONParser",
    "UnreadableBody",
    "api_exception_handler",
    "bad_request",
    "page_not_found",
    "permission_denied",
    "server_error",
]
