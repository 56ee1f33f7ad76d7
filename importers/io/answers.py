"""What the live sources answer, judged: an HTML page instead of data, a JSON answer read
through the bounded reader (importers.io.bounded: size and depth limits, one encoding
detection), the envelope of a paged API. Used by the fetcher (importers.io.http) and the
sources' mappers of API pages."""

from typing import Any

from django.utils.translation import gettext as _

from importers.engine.errors import BadPayload, ImportFailed, describe
from importers.io.bounded import LimitExceeded, json_parse

#: How a page of HTML (an error page, a portal) starts where data was expected.
HTML_OPENINGS = (b"<!doctype html", b"<html", b"<?xml")


def json_too_large(url: str, limit: int) -> LimitExceeded:
    """The error of a JSON answer cut after `limit` bytes."""
    return LimitExceeded(
        _(
            "%(url)s : réponse JSON de plus de %(limit)s octets, lecture arrêtée (limite "
            "CARTESS_IMPORT_MAX_JSON_BYTES) ; rien n'a été enregistré."
        )
        % {"url": url, "limit": limit}
    )


def looks_like_html(content: bytes) -> bool:
    """Whether `content` opens like an HTML (or XML) page."""
    return content[:200].lstrip().lower().startswith(HTML_OPENINGS)


def decode_json(content: bytes, url: str) -> Any:
    """Decode a JSON answer. Raises BadPayload for HTML, an empty body or invalid JSON."""
    if looks_like_html(content):
        raise BadPayload(
            _("%(url)s a renvoyé une page HTML au lieu de JSON (panne ou page d'erreur ?).")
            % {"url": url}
        )
    try:
        return json_parse(content, name=url)
    except LimitExceeded:
        raise
    except ImportFailed as error:
        cause = error.__cause__ or error
        raise BadPayload(
            _("%(url)s : réponse illisible : %(error)s.") % {"url": url, "error": describe(cause)}
        ) from error


def check_envelope(
    payload: Any, url: str, *, results_key: str = "results", extra: tuple[str, ...] = ()
) -> None:
    """Check that `payload` is an object whose `results_key` is a list and that has `extra`.

    Raises BadPayload naming what is missing.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get(results_key), list):
        raise BadPayload(
            _("%(url)s : réponse inattendue, pas de liste « %(key)s ».")
            % {"url": url, "key": results_key}
        )
    missing = [key for key in extra if key not in payload]
    if missing:
        raise BadPayload(
            _("%(url)s : réponse inattendue, champs manquants : %(keys)s.")
            % {"url": url, "keys": ", ".join(missing)}
        )


def as_int(value: Any, url: str, key: str) -> int:
    """`value` as an integer. Raises BadPayload naming `key` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadPayload(
            _("%(url)s : « %(key)s » n'est pas un nombre : %(value)r.")
            % {"url": url, "key": key, "value": value}
        ) from None
