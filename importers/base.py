"""The shape of an importer: a small declarative class per source (STYLE rule 6).

A source says where its data comes from (`info`), how to read raw rows from a file
(`read`, the fetcher: I/O only), where a raw row lies (`locate`, for the territory filter),
how to name it (`external_id`) and how to turn it into a typed record (`map`, pure: no
database, raises `RowRejected`). Loading is generic: `importers.loading`.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.contrib.gis.geos import Point


@dataclass(frozen=True)
class SourceInfo:
    """What the `importers.Source` row says about a source (shown with every record)."""

    name: str
    publisher: str
    licence: str
    licence_url: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class RawRow:
    """One record as the file gives it (selected columns only) and where it sits in the file.

    `number` is what a person opening the file sees: the spreadsheet row (header = 1) or the
    position in a JSON list (first = 1). `table` names the file when a source has several.
    """

    number: int
    data: dict[str, Any]
    table: str = ""


@dataclass(frozen=True)
class Whereabouts:
    """Where a raw row says it is, as far as it can tell without failing."""

    point: Point | None = None
    insee_code: str = ""
    city: str = ""


@dataclass(frozen=True)
class Mapped:
    """A mapper's result: a domain record, links to other records of the same source, notes.

    `links` maps a relation ("funders", "provider") to the external ids, in this source,
    of the records it points to; the loader resolves those that exist.
    `warnings` are facts a person may want to check (a website dropped as invalid...).
    """

    data: Any
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


class ImportSource:
    """Base class of the sources; subclasses fill the class attributes and three methods.

    `needs_boundaries`: the territory test needs the commune outlines (the `communes`
    source) because the rows carry points but no INSEE code.
    """

    slug: ClassVar[str]
    info: ClassVar[SourceInfo]
    needs_boundaries: ClassVar[bool] = False

    def default_file(self) -> Path:
        """The bundled offline snapshot read when no `--file` is given."""
        raise NotImplementedError

    def read(self, path: Path) -> Iterator[RawRow]:
        """Yield the raw rows of `path`. Raises ImportFailed when the file is unreadable."""
        raise NotImplementedError

    def external_id(self, row: RawRow) -> str:
        """The row's identifier in the source, "" when it has none. Pure and lenient."""
        raise NotImplementedError

    def locate(self, row: RawRow) -> Whereabouts | None:
        """Where the row lies, for the territory filter; None keeps it whatever its place."""
        return None

    def map(self, row: RawRow) -> Mapped:
        """Turn a raw row into a typed record. Pure; raises RowRejected for a bad row."""
        raise NotImplementedError
