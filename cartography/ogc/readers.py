"""Who reads `/ogc/` and `/tiles/`: the public, or city staff through their session or a
reader token (`Authorization: Token <secret>`, directory.reader_tokens), so that QGIS and
GDAL read the staff layers (every site, every field of premises) without a cookie."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from cartography.ogc.params import OgcError
from directory.access import user_is_city_staff
from directory.reader_tokens import TokenRefused, request_reader_get


def reader_is_staff(request: HttpRequest) -> bool:
    """Whether the caller reads the staff variants: city staff signed in, or a reader token
    of city staff. No token: the session decides (the public view for anyone else).

    Raises OgcError 401 for an unknown or revoked token, 403 for a valid token whose person
    is not (or no longer) city staff: both say so in French rather than silently serving
    the public view to a client that asked for more. Decided once per request."""
    known = getattr(request, "_cartess_reader_is_staff", None)
    if known is None:
        known = request._cartess_reader_is_staff = _reader_is_staff(request)
    return known


def _reader_is_staff(request: HttpRequest) -> bool:
    try:
        reader = request_reader_get(request)
    except TokenRefused:
        raise OgcError(
            401, "Unauthorized", _("Jeton inconnu ou révoqué : créez-en un nouveau.")
        ) from None
    staff = user_is_city_staff(user=reader)
    if not staff and reader is not request.user:
        raise OgcError(
            403,
            "Forbidden",
            _("Ce jeton n'ouvre pas les couches réservées aux services de la Ville."),
        )
    return staff
