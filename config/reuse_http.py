"""HTTP for reusers of the data: conditional requests, cache headers and gzip on the read API
(`/api/`), OGC API Features (`/ogc/`), the vector tiles (`/tiles/`) and the downloads
(`/donnees/`, `.../export.csv`, `.../export.geojson`, `.../datapackage.json`), and only there.

Why only there: gzip on a page that carries a secret (a CSRF token in a form) beside text an
attacker can put in the URL lets the attacker guess the secret from the compressed size
(BREACH). The API and the exports carry no CSRF token and no session secret, so compressing
them is safe. HTML stays uncompressed, DRF's browsable API pages under `/api/` included (they
carry a CSRF token); the reverse proxy may compress static files.
"""

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers

#: Public data may sit in a browser or proxy cache this long (seconds): short, as listings
#: change during the day and a reuser must see a correction soon.
PUBLIC_MAX_AGE = 300
PRIVATE_CACHE_CONTROL = "private, no-store"
REUSE_PREFIXES = ("/api/", "/ogc/", "/tiles/", "/donnees/")
REUSE_SUFFIXES = ("/export.csv", "/export.geojson", "/datapackage.json")


def is_reuse_path(path: str) -> bool:
    """True for the read API and the data downloads, the paths this module serves."""
    return path.startswith(REUSE_PREFIXES) or path.endswith(REUSE_SUFFIXES)


def is_private_request(request: HttpRequest) -> bool:
    """True when the answer may depend on who asks: a logged-in person (staff see every
    field) or a token in the `Authorization` header (a network's API)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in (
        request.META
    )


def content_etag(response: HttpResponse) -> str:
    """A strong ETag of the body as sent before compression."""
    return f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'


class ReuseHttpMiddleware:
    """On GET and HEAD of a reuse path (`is_reuse_path`): `Cache-Control` (public with
    `PUBLIC_MAX_AGE`, or `private, no-store` when `is_private_request`) unless the view set
    its own, `Vary: Cookie, Authorization`, an ETag of the body and a 304 when
    `If-None-Match` matches it, then gzip when the client accepts it. Other paths pass
    unchanged. Sits after AuthenticationMiddleware (reads `request.user`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not is_reuse_path(request.path):
            return response
        if "Cache-Control" not in response:
            response["Cache-Control"] = (
                PRIVATE_CACHE_CONTROL
                if is_private_request(request)
                else f"public, max-age={PUBLIC_MAX_AGE}"
            )
        patch_vary_headers(response, ("Cookie", "Authorization"))
        if response.status_code == 200 and not response.streaming:
            if not response.has_header("ETag"):
                response["ETag"] = content_etag(response)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        if response.get("Content-Type", "").startswith("text/html"):
            return response  # DRF's browsable pages hold a CSRF token: never compressed
        return self.gzip.process_response(request, response)
