"""Progress of a long run: rows read so far and speed, handed to a callback.

Library code never writes to the terminal: the `import` command passes a callback that
does (to stderr), tests pass one that collects, and the default does nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from importers.engine.deadline import Deadline

#: A progress report every this many rows...
EVERY_ROWS = 10_000
#: ...or every this many seconds, whichever comes first.
EVERY_SECONDS = 5.0


@dataclass(frozen=True)
class Progress:
    """Where a run stands: `rows` read (all files of the source) after `seconds`."""

    source: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


class ProgressMeter:
    """Counts rows and calls `callback` every `every_rows` rows or `every_seconds` seconds
    (by default EVERY_ROWS and EVERY_SECONDS, read when the meter is made).

    `clock` returns seconds (monotonic); tests pass a fake one. `deadline`, the run's
    (importers.engine.deadline), is checked at every row: past it, `advance` raises
    RunInterrupted, which stops the run.
    """

    def __init__(
        self,
        *,
        source: str,
        callback: ProgressCallback | None = None,
        every_rows: int | None = None,
        every_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        deadline: Deadline | None = None,
    ) -> None:
        self.source = source
        self.callback = callback
        self.every_rows = max(every_rows or EVERY_ROWS, 1)
        self.every_seconds = every_seconds or EVERY_SECONDS
        self.clock = clock
        self.deadline = deadline
        self.rows = 0
        self.started = self.last_at = clock()
        self.last_rows = 0

    def advance(self, rows: int = 1) -> None:
        """Count `rows` more rows read; report when enough rows or time went by."""
        self.rows += rows
        if self.deadline is not None:
            self.deadline.check()
        if self.callback is None:
            return
        due_by_rows = self.rows - self.last_rows >= self.every_rows
        now = self.clock()
        if due_by_rows or now - self.last_at >= self.every_seconds:
            self.last_rows, self.last_at = self.rows, now
            self.callback(Progress(source=self.source, rows=self.rows, seconds=now - self.started))
