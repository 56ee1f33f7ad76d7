"""Staff files that a script or a GIS tool downloads without a session.

A view decorated with `reader_access_required(rule, refused=...)` lets in the people `rule`
lets in, either through their session (`access_required`: the login page for a visitor, 403
for a signed-in person the rule keeps out) or through a reader token (`Authorization:
Token|Bearer <secret>`, directory.reader_tokens) whose person passes the same rule, read at
each request. A token that does not open the file is answered in French JSON, never with a
login page a script cannot follow: 401 for an unknown or revoked secret, 403 (`refused`) for
a person the rule keeps out (one who left the city services, say).
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from directory.access import Rule, access_required
from directory.reader_tokens import CHALLENGE, KEYWORDS, TokenRefused, request_reader_get

View = Callable[..., HttpResponse]


def reader_access_required(rule: Rule, *, refused: str) -> Callable[[View], View]:
    """Decorate a view readable through a session or a reader token (see the module);
    `refused` is the 403's sentence (a lazy translation)."""

    def decorator(view: View) -> View:
        by_session = access_required(rule)(view)

        @wraps(view)
        def reading(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            keyword = request.headers.get("Authorization", "").partition(" ")[0]
            if keyword not in KEYWORDS:
                return by_session(request, *args, **kwargs)
            try:
                reader = request_reader_get(request)
            except TokenRefused:
                unknown = _("Jeton inconnu ou révoqué : créez-en un nouveau.")
                return token_refusal(401, "Unauthorized", unknown)
            if not rule(user=reader):
                return token_refusal(403, "Forbidden", str(refused))
            return view(request, *args, **kwargs)

        return reading

    return decorator


def token_refusal(status: int, code: str, description: str) -> JsonResponse:
    """A refusal as the OGC API's exceptions say it (`code`, `description`, French text
    kept as is), with the token challenge on a 401: what QGIS and GDAL read from /ogc/
    (cartography.ogc.views.ogc_errors answers with it too)."""
    response = JsonResponse(
        {"code": code, "description": description},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    if status == 401:
        response["WWW-Authenticate"] = CHALLENGE
    return response
