"""What one import run did, for the command's report, the upload screens and tests.

`importers.engine.services.source_import` fills an ImportReport (the row-by-row loading
or a bulk source's BulkResult copied into it).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from importers.engine.base import Rejection
from importers.engine.upsert import Outcome
from importers.models import RunStatus


@dataclass(frozen=True)
class LoadedRow:
    """A row that was loaded: its line, its identifier, what happened and the record's id;
    `kept`, the fields a person's value kept; `warnings`, the mapper's (values it dropped)."""

    number: int
    external_id: str
    outcome: str
    object_id: int | None
    kept: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What one run did, for the command's report and for tests."""

    source: str
    dry_run: bool = False
    run_id: int | None = None
    status: str = RunStatus.RUNNING
    skipped: bool = False
    rows_read: int = 0
    out_of_territory: int = 0
    #: Rows one of the source's own rules left out, by label (ImportSource.set_aside).
    set_aside: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    rejections: list[Rejection] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: What else the run read, printed as it is (a bulk source's summary of its files).
    details: list[str] = field(default_factory=list)
    #: External ids of records a person deleted, which this run did not create again.
    deleted: list[str] = field(default_factory=list)
    territory_test: str = ""
    duration: float = 0.0
    error: str = ""
    #: Disagreements with a person's values this run opened (FieldDisagreement).
    disagreements: int = 0
    #: Possible duplicates waiting for a person after this run (DuplicateCandidate).
    duplicates: int = 0
    #: The rows loaded one by one (not those of a bulk source), in file order.
    loaded: list[LoadedRow] = field(default_factory=list)
    #: The line numbers of the rows found out of the territory (row-by-row sources).
    outside_rows: list[int] = field(default_factory=list)
    #: The latest day the data says it was updated at the source (importers.engine.dating).
    data_day: str = ""

    @property
    def created(self) -> int:
        return self.counts[Outcome.CREATED]

    @property
    def updated(self) -> int:
        return self.counts[Outcome.UPDATED]

    @property
    def unchanged(self) -> int:
        return self.counts[Outcome.UNCHANGED]

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def set_aside_count(self) -> int:
        return sum(self.set_aside.values())

    @property
    def rows_accounted(self) -> int:
        """The rows this run says what became of: equal to `rows_read` when every row read
        was created, updated, unchanged, rejected, out of the territory or set aside."""
        return (
            self.created
            + self.updated
            + self.unchanged
            + self.rejected
            + self.out_of_territory
            + self.set_aside_count
        )

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.duration if self.duration > 0 else 0.0

    def lines(self, *, reasons: int = 5) -> list[str]:
        """The report a person reads: counts, the first `reasons` rejections and warnings,
        the speed."""
        if self.skipped:
            return [_("%(source)s : déjà importée, ignorée.") % {"source": self.source}]
        lines = [self._summary_line()]
        lines += [
            _("  écartés : %(count)s %(label)s") % {"count": count, "label": label}
            for label, count in sorted(self.set_aside.items())
        ]
        lines += [f"  {detail}" for detail in self.details]
        lines += [
            _("  rejet ligne %(row)s (%(id)s) : %(reason)s")
            % {"row": r.row_number, "id": r.external_id or "?", "reason": r.reason}
            for r in self.rejections[:reasons]
        ]
        if self.deleted:
            lines.append(
                _("  fiches supprimées à la main, non recréées : %(n)s (%(ids)s)")
                % {"n": len(self.deleted), "ids": ", ".join(self.deleted[:reasons])}
            )
        if self.kept:
            lines.append(
                _("  valeurs conservées (saisies à la main ou par une autre source) : %(n)s")
                % {"n": len(self.kept)}
            )
        lines += self._review_lines()
        lines += [_("  à vérifier : %(warning)s") % {"warning": w} for w in self.warnings[:reasons]]
        if len(self.warnings) > reasons:
            lines.append(
                _("  … et %(n)s autres points à vérifier (dans l'historique des imports).")
                % {"n": len(self.warnings) - reasons}
            )
        lines.append(
            _("  %(rows)s lignes lues en %(seconds).2f s (%(speed).0f lignes/s).")
            % {"rows": self.rows_read, "seconds": self.duration, "speed": self.rows_per_second}
        )
        return lines

    def _summary_line(self) -> str:
        aside = ""
        if self.set_aside:
            aside = _(", %(n)s écartés par la source") % {"n": self.set_aside_count}
        return _(
            "%(source)s%(dry)s : %(created)s créés, %(updated)s mis à jour, "
            "%(unchanged)s inchangés, %(rejected)s rejetés, %(outside)s hors territoire"
            "%(aside)s."
        ) % {
            "source": self.source,
            "dry": _(" (répétition : rien n'est enregistré)") if self.dry_run else "",
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "outside": self.out_of_territory,
            "aside": aside,
        }

    def _review_lines(self) -> list[str]:
        """What this run leaves to a person, in the admin."""
        lines = []
        if self.disagreements:
            lines.append(
                _(
                    "  nouveaux désaccords à examiner (valeur saisie à la main ou par une "
                    "autre source) : %(n)s"
                )
                % {"n": self.disagreements}
            )
        if self.duplicates and (self.created or self.updated):
            lines.append(
                _("  doublons possibles en attente d'examen (toutes sources) : %(n)s")
                % {"n": self.duplicates}
            )
        return lines
