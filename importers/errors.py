"""Typed errors of the import framework (STYLE rule 7)."""


class ImporterError(Exception):
    """An error an importer raises on purpose, with a message a person can act on."""


class RowRejected(ImporterError):
    """One row is refused: the run records `reason` with the row and goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportFailed(ImporterError):
    """The whole run fails: what it wrote is rolled back and its ImportRun keeps the cause."""


class UnknownSource(ImportFailed):
    """No importer has this slug (yet)."""


class FetchFailed(ImportFailed):
    """A remote source keeps failing (timeouts, 5xx, 429 past the retries) or refuses (4xx)."""


class BadPayload(ImportFailed):
    """A remote source answered, but not what was expected: HTML instead of JSON, a wrong
    envelope, a truncated or empty file."""
