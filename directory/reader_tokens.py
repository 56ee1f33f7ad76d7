"""Reader tokens: a city services agent's GIS client (QGIS, GDAL) reads the staff layers of
`/ogc/` and `/tiles/` without a session cookie, with `Authorization: Token <secret>` (or
`Bearer <secret>`).

What a request with such a header gets (`request_reader_get`): no header, the person of the
session (or anonymous, the public view); a secret that is unknown or revoked, a refusal
(401: the caller must authenticate again); a valid secret, the token's person, whose rights
are read at each request (`directory.access.user_is_city_staff`: a person who left the city
services reads public layers only, and the view says so with a 403).
"""

import secrets

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone

from directory.models import NetworkApiToken, ReaderApiToken

#: The schemes accepted in the Authorization header.
KEYWORDS = ("Token", "Bearer")

#: What a 401 asks for (`WWW-Authenticate`); the realm first named /ogc/, where GIS
#: clients met it, and is kept for the clients already configured.
CHALLENGE = 'Token realm="ogc"'


class TokenRefused(Exception):
    """The Authorization header holds no usable reader token (401)."""


def reader_api_token_create(*, user, name: str) -> tuple[ReaderApiToken, str]:
    """A reader token of `user`, named `name`. Returns it and its secret `<prefix>.<key>`,
    shown this once (only its hash is kept). Raises ValidationError for a blank or too long
    name."""
    prefix = secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    token = ReaderApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        hashed_key=NetworkApiToken.hash_secret(secret),
    )
    token.full_clean()
    token.save()
    return token, secret


def reader_api_token_revoke(*, token: ReaderApiToken) -> None:
    """Revoke `token` for good (it stays listed, revoked); idempotent."""
    ReaderApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def reader_api_tokens_get(*, user):
    """The reader tokens of `user`, newest first, revoked ones included. Reads only."""
    return ReaderApiToken.objects.filter(user=user)


def reader_api_token_get(*, secret: str) -> ReaderApiToken | None:
    """The usable (not revoked) token whose secret is `secret`, with its person, or None."""
    prefix, dot, _key = secret.partition(".")
    if not dot:
        return None
    token = (
        ReaderApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not secrets.compare_digest(
        token.hashed_key, NetworkApiToken.hash_secret(secret)
    ):
        return None
    return token


def request_reader_get(request: HttpRequest):
    """Who reads: the token's person when the request carries `Authorization: Token|Bearer
    <secret>` (its `last_used_at` recorded), else the session's user (anonymous included).

    Raises TokenRefused when the header names one of KEYWORDS with an unknown or revoked
    secret. Another scheme (Basic...) is not ours: the session's user.
    """
    keyword, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if keyword not in KEYWORDS:
        return getattr(request, "user", None) or AnonymousUser()
    token = reader_api_token_get(secret=secret.strip())
    if token is None:
        raise TokenRefused
    ReaderApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
