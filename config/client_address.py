"""Where the address of a visitor is read: the connection, or the trusted proxy's header.

django-axes (the login lockout) and the per-address limits read the client address with
django-ipware, as the AXES_IPWARE_* settings say. Behind a reverse proxy every connection
comes from the proxy, so the visitor's own address must come from the X-Forwarded-For the
proxy writes; without a proxy that header is whatever the client sent, and trusting it would
let anyone choose the address a lockout counts against.
"""


def client_address_settings(*, trusted_proxies: int) -> dict[str, object]:
    """The AXES_IPWARE_* settings for `trusted_proxies` reverse proxies in front of the
    application server (CARTESS_TRUSTED_PROXY_COUNT).

    0: the connection's address (REMOTE_ADDR) only; X-Forwarded-For is never read.
    N >= 1: the N-th address from the right of X-Forwarded-For: each proxy appends the
    address it received the request from, and the last proxy is the connection itself (not
    in the header), hence ipware's count of the proxies listed in the header, N - 1. What a
    client writes to the left of that address is ignored. Without the header (a request
    that did not come through the proxy), the connection's address.
    """
    if trusted_proxies < 0:
        raise ValueError("CARTESS_TRUSTED_PROXY_COUNT must be 0 or more")
    if trusted_proxies == 0:
        return {
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_COUNT": None,
        }
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1,
    }
