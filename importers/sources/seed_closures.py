"""`seed-closures`: the closures the curated seed documents (lille-ess-seed's closures.csv).

Each row names a record of another source (`source`, `external_id`: e.g. `tiers-lieux`,
the 2019 inventory's `ID`) and the date a source gives for its closing (`closed_on`,
YYYY-MM or YYYY-MM-DD, cited in `source_url`). The organisation that record loaded gets
`Organisation.closed_on` under the engine's human-edit rule (importers.engine.human_edits):
a date a person typed is kept, reported and recorded as a disagreement, never overwritten.

A source of its own rather than a third table of the `seed` run: the records it closes are
loaded by sources that `import --all` runs after the seed (the seed's schemes link to the
seed's organisations, so the seed comes first), and a closure of a record not loaded yet
is a rejection with its reason, retried at the next run.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from directory.models import Organisation, Provenance
from directory.services import organisation_close
from importers.engine.base import ImportSource, Mapped, RawRow, SourceInfo
from importers.engine.context import LoadContext
from importers.engine.errors import RowRejected
from importers.engine.loaders import Loader
from importers.engine.mapping import required_text, text
from importers.io.readers import csv_rows
from importers.sources.seed import DATA_DIR

FILE = "closures.csv"
COLUMNS = ("source", "external_id", "closed_on")
OPTIONAL = ("name", "status", "summary", "source_url")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class ClosureData:
    """A closing date for the record `external_id` of the source `source`."""

    source: str
    external_id: str
    closed_on: date


def closing_date(value: str) -> date:
    """The date of a `closed_on` cell, YYYY-MM-DD or YYYY-MM. Pure.

    A month alone is stored as its first day (a date column needs a day); the cell as the
    source wrote it stays in the record's provenance. Raises RowRejected otherwise.
    """
    match = _DATE.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = match.groups()
        return date(int(year), int(month), int(day or 1))
    except ValueError:
        raise RowRejected(
            _("Date de fermeture illisible : %(value)s (attendu AAAA-MM ou AAAA-MM-JJ).")
            % {"value": value}
        ) from None


class ClosureLoader(Loader):
    """Writes `closed_on` onto the organisation another source's record loaded; never
    creates one."""

    model = Organisation

    def match(self, data: ClosureData, context: LoadContext, external_id: str):
        provenance = Provenance.objects.filter(
            source__slug=data.source, external_id=data.external_id
        ).first()
        record = provenance.record if provenance is not None else None
        return record if isinstance(record, Organisation) else None

    def create(self, data: ClosureData) -> Organisation:
        raise RowRejected(
            _(
                "Structure à fermer introuvable : l'enregistrement %(id)s de la source "
                "%(source)s n'est pas importé (importez d'abord cette source)."
            )
            % {"id": data.external_id, "source": data.source}
        )

    def update(self, instance: Organisation, data: ClosureData, write: dict) -> None:
        if "closed_on" in write:
            organisation_close(organisation=instance, closed_on=data.closed_on)

    def snapshot_data(self, data: ClosureData) -> dict[str, Any]:
        return {"closed_on": data.closed_on.isoformat()}

    def snapshot_instance(self, instance: Organisation) -> dict[str, Any]:
        closed_on = instance.closed_on
        return {"closed_on": closed_on.isoformat() if closed_on else None}


class SeedClosuresSource(ImportSource):
    slug = "seed-closures"
    info = SourceInfo(
        name="Fermetures documentées (sélection lille-ess-seed)",
        publisher="Cartess, d'après des pages publiques citées ligne par ligne",
        licence="Sources citées dans la colonne source_url de chaque ligne",
        licence_url="",
        url="",
        attribution_field="source_url",
        description="Structures que d'autres sources listent encore alors qu'une source "
        "publique les dit fermées, avec la date de fermeture.",
    )

    def default_file(self) -> Path:
        return DATA_DIR / FILE

    def read(self, path: Path) -> Iterator[RawRow]:
        file = path / FILE if path.is_dir() else path
        return csv_rows(file, columns=COLUMNS, optional=OPTIONAL)

    def external_id(self, row: RawRow) -> str:
        source, external_id = text(row.data, "source"), text(row.data, "external_id")
        return f"{source}:{external_id}" if source and external_id else ""

    def loaders(self) -> Mapping[type, Any]:
        return {ClosureData: ClosureLoader()}

    def map(self, row: RawRow) -> Mapped:
        return map_closure(row.data)


def map_closure(raw: dict) -> Mapped:
    """A closures.csv row -> ClosureData. Pure. Raises RowRejected for a missing source or
    identifier, or an unreadable date."""
    return Mapped(
        ClosureData(
            source=required_text(raw, "source", _("Source")),
            external_id=required_text(raw, "external_id", _("Identifiant")),
            closed_on=closing_date(text(raw, "closed_on")),
        )
    )
