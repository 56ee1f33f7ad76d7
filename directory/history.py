"""Where a change came from, for the history of listings (django-simple-history).

django-simple-history records who and when (its middleware gives the person of the request);
this module adds from which screen or source: code that writes runs inside
`history_reason("import sirene")`, and every history row written meanwhile says so, unless
the writer gave its own reason (`instance._change_reason`, e.g. the admin's "admin").
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_reason: ContextVar[str] = ContextVar("history_reason", default="")

#: The reasons Cartess writes; an import adds its source's slug ("import sirene").
ADMIN_REASON = "admin"
REVERT_REASON = "annulation (admin)"
NETWORK_EDIT_REASON = "édition réseau"
IMPORT_REASON = "import {slug}"


@contextmanager
def history_reason(reason: str) -> Iterator[None]:
    """Label with `reason` the history rows written inside the block (nested: innermost)."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def fill_change_reason(sender, *, history_instance, **kwargs) -> None:
    """Receiver of `pre_create_historical_record`: the block's reason when none was given."""
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = _reason.get() or None
