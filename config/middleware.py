"""Project-wide response headers that no installed library sets."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """The Permissions-Policy header for `policy` (feature -> allowed origins, `self` for
    this site, an empty list for no one): `camera=(), geolocation=(self)`."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in sorted(policy.items())
    )


class PermissionsPolicyMiddleware:
    """Sends `settings.PERMISSIONS_POLICY` as the Permissions-Policy header of every response
    (unless a view set its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
