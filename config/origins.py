"""The origin of an address, for the Content-Security-Policy built from other settings."""

from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of `url` (a tile template's `{z}` and `{s}` stay as they are:
    a subdomain placeholder becomes the `*.` wildcard CSP understands)."""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"
