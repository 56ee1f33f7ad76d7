"""The overall deadline of a run, known to everything the run calls.

`source_import` opens it (`run_deadline`, from `deadline_seconds_for`); the progress meter
checks it at every row, the fetcher never waits or reads past it (importers.io.http), and
the run's transaction gets what is left as its PostgreSQL `statement_timeout`
(importers.engine.runs). It lives in a context variable, so a source or a geocoder made
deep inside a run needs nothing passed to honour it.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from importers.engine.errors import RunInterrupted


@dataclass(frozen=True)
class Deadline:
    """A run may last `seconds` (wall time), until `at` (time.monotonic())."""

    seconds: float
    at: float

    def remaining(self) -> float:
        """Seconds left, negative once passed."""
        return self.at - time.monotonic()

    def passed(self) -> bool:
        return self.remaining() <= 0

    def check(self) -> None:
        """Raise RunInterrupted when the deadline has passed."""
        if self.passed():
            raise RunInterrupted(self.message())

    def message(self) -> str:
        return _(
            "durée maximale de l'import dépassée (%(seconds)s s) : l'import a été arrêté et "
            "rien n'a été enregistré."
        ) % {"seconds": f"{self.seconds:g}"}


_current: ContextVar[Deadline | None] = ContextVar("cartess_run_deadline", default=None)


def deadline_seconds_for(slug: str) -> float:
    """The time a run of `slug` may take: its own `CARTESS_IMPORT_DEADLINES` entry, else
    `CARTESS_IMPORT_DEADLINE` (seconds; 0 means no deadline)."""
    per_source = settings.CARTESS_IMPORT_DEADLINES
    return float(per_source.get(slug, settings.CARTESS_IMPORT_DEADLINE))


@contextmanager
def run_deadline(seconds: float) -> Iterator[Deadline | None]:
    """Make a deadline `seconds` from now the current one while the block runs (none when
    `seconds` is 0 or less)."""
    deadline = Deadline(seconds=seconds, at=time.monotonic() + seconds) if seconds > 0 else None
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def deadline_current() -> Deadline | None:
    """The deadline of the run in progress, or None (outside a run, or a run without one)."""
    return _current.get()
