"""The identifiers a row-by-row run has loaded: a later copy in the file is refused.

A set lookup per row, and the French reason translated once per run: a file of 100,000
copies of one identifier is refused 99,999 times, in linear time. The run's rejections
share their texts: the 99,999 refused copies of one row hold its raw text once, not once
each (6 kB quartier outlines, 100,000 copies: 670 MB before).
"""

from django.utils.translation import gettext as _

from importers.engine.base import Rejection
from importers.engine.errors import RowRejected


class FileIdentifiers:
    """The identifiers seen so far in one run's file."""

    __slots__ = ("_double", "_seen", "_texts")

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._texts: dict[str, str] = {}
        self._double = _("Identifiant en double dans le fichier : %(id)s.")

    def double(self, external_id: str) -> str:
        """The reason refusing `external_id` when this run already loaded it, else ""."""
        return self._double % {"id": external_id} if external_id in self._seen else ""

    def check_not_seen(self, external_id: str) -> None:
        """Raises RowRejected when `external_id` was already loaded by this run."""
        if external_id in self._seen:
            raise RowRejected(self._double % {"id": external_id})

    def take(self, external_id: str) -> None:
        """Remember `external_id`. Raises RowRejected when it is missing or already seen."""
        if not external_id:
            raise RowRejected(_("Identifiant manquant : la ligne ne peut pas être suivie."))
        self.check_not_seen(external_id)
        self._seen.add(external_id)

    def shared(self, rejection: Rejection) -> Rejection:
        """`rejection` holding the one copy of its reason and raw text that this run's
        rejections already hold, when one of them has the same."""
        reason = self._texts.setdefault(rejection.reason, rejection.reason)
        raw_text = self._texts.setdefault(rejection.raw_text, rejection.raw_text)
        return Rejection(rejection.row_number, rejection.external_id, reason, raw_text)
