"""The shape of an importer: a small declarative class per source (STYLE rule 6).

A source says where its data comes from (`info`), how to read raw rows from a file
(`read`, the fetcher: I/O only), where a raw row lies (`locate`, for the territory filter),
how to name it (`external_id`) and how to turn it into a typed record (`map`, pure: no
database, raises `RowRejected`). A source that can run limited to a scope (a network's own
upload) says whether a mapped row lies within it (`check_scope`, which may read the
database). Loading is generic: `importers.engine.upsert`.
"""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.gis.geos import Point

from importers.engine.cells import mixed_encoding_reason, raw_json, raw_json_of_text, record_clean

if TYPE_CHECKING:
    from importers.engine.progress import ProgressMeter
    from importers.io.geocoding import AddressQuery
    from importers.io.http import Fetcher


@dataclass(frozen=True)
class SourceInfo:
    """What the `importers.Source` row says about a source (shown with every record).

    Every source names its publisher and licence. `licence_url` links the licence's text;
    a source without one licence for all its records (a compilation) leaves it empty and
    names in `attribution_field` the raw column that gives each record's own origin.
    """

    name: str
    publisher: str
    licence: str
    licence_url: str
    url: str
    description: str = ""
    attribution_field: str = ""
    #: The date the source gives its data (Source.data_dated), when it gives one.
    dated: str = ""


@dataclass(frozen=True)
class RawRow:
    """One record as the file gives it (selected columns only) and where it sits in the file.

    `number` is what a person opening the file sees: the spreadsheet row (header = 1) or the
    position in a JSON list (first = 1). `table` names the file when a source has several.
    `data` is cleaned on creation, whoever builds the row (importers.engine.cells): control
    characters stripped; undecodable bytes (a mixed encoding) set `defect`, the reason the
    engine rejects the row with before mapping it.
    """

    number: int
    data: dict[str, Any]
    table: str = ""
    defect: str = ""

    def __post_init__(self) -> None:
        if record_clean(self.data) and not self.defect:
            object.__setattr__(self, "defect", mixed_encoding_reason())


@dataclass(frozen=True, slots=True)
class Rejection:
    """A refused row, kept by the run until it writes it (importers.engine.rejections):
    `raw_text` is its raw record as bounded JSON text (importers.engine.cells.raw_json).
    Lighter than a model instance: a file of 100,000 copies of one identifier keeps 99,999.
    """

    row_number: int
    external_id: str
    reason: str
    raw_text: str

    @property
    def raw(self) -> Any:
        return json.loads(self.raw_text)

    @classmethod
    def of(cls, *, number: int, external_id: str, reason: str, raw: Any) -> "Rejection":
        """The rejection of row `number`; `raw` is the record, or its JSON text as a query
        of importers.engine.sql returns a jsonb column (stored as the record itself)."""
        text = raw_json_of_text(raw) if isinstance(raw, str) else raw_json(raw)
        return cls(number, external_id[:255], reason, text)


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
    `unknown` names the fields of the record's snapshot (its loader's) the row says nothing
    about (a column absent or left empty): the loader neither writes nor compares them, and
    a record created from the row leaves them at their defaults. A field the row asks to
    clear is not unknown: it holds its empty value.
    """

    data: Any
    links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    unknown: frozenset[str] = frozenset()


@dataclass
class BulkResult:
    """What a bulk source's `load` did, for the run's report.

    `rejections` are the refused rows (`reject`); `kept` and `warnings` are lines a person
    reads, like the notes of the row-by-row path; `disagreements` counts the disagreements
    with a person's values this run opened (importers.models.FieldDisagreement).
    """

    rows_read: int = 0
    out_of_territory: int = 0
    #: Rows a rule of the source left out, by plural label (see ImportSource.set_aside).
    set_aside: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: What else the run read, for the report (not points to check).
    details: list[str] = field(default_factory=list)
    #: External ids of records a person deleted, which this run did not create again.
    deleted: list[str] = field(default_factory=list)
    disagreements: int = 0
    #: The latest day the data says it was updated at the source (ISO; see data_day).
    data_day: str = ""

    def reject(
        self, *, number: int, external_id: str, raw: dict | str, reason: str, table: str
    ) -> None:
        """Record a refused row of the file `table` (see `Rejection.of` for `raw`; a record
        is cleaned in place first, as a RawRow's)."""
        if isinstance(raw, dict):
            record_clean(raw)
        rejection = Rejection.of(number=number, external_id=external_id, reason=reason, raw=raw)
        self.rejections.append(rejection)


class ImportSource:
    """Base class of the sources; subclasses fill the class attributes and three methods.

    `needs_boundaries`: the territory test needs the commune outlines (the `communes`
    source) because the rows carry points but no INSEE code.

    `mapping_version` names the version of the mapper (`map`, or a bulk source's mapping):
    bump it whenever the mapper changes what it makes of a row, so that the next import maps
    again the rows whose raw content did not change (`manage.py import <slug> --remap` does
    it once, whatever the version).

    Remote sources (`importers.io.http`): `default_url` is read when neither `--file` nor
    `--url` is given and there is no bundled file; `is_api` says that a URL is an API's
    base URL, read by `fetch`, rather than a file to download and `read`;
    `rate_per_second` is the source's rate limit.

    `geocodes`: the run places the rows that lack a point at their address, with the
    BAN's bulk endpoint (`address_query` says what to ask; importers.engine.geocode).
    """

    slug: ClassVar[str]
    info: ClassVar[SourceInfo]
    needs_boundaries: ClassVar[bool] = False
    mapping_version: ClassVar[int | str] = 1
    default_url: ClassVar[str] = ""
    is_api: ClassVar[bool] = False
    rate_per_second: ClassVar[float | None] = None
    #: Bulk sources load a whole file set at once through `load` (staging tables and
    #: set-based SQL, importers.engine.bulk) instead of `read` and `map` row by row.
    bulk: ClassVar[bool] = False
    #: Rows without a point are placed by the BAN, in bulk, at their address.
    geocodes: ClassVar[bool] = False
    #: A failing BAN leaves the rows without a point instead of failing the run
    #: (importers.engine.geocode).
    geocoding_optional: ClassVar[bool] = False
    #: The source `geocodes` only when the run asks for it (`import <slug> --geocode`,
    #: `manage.py sync`, the schedule): an offline run never waits on the BAN.
    geocodes_on_request: ClassVar[bool] = False

    def default_file(self) -> Path | None:
        """The bundled offline snapshot read when no `--file` is given; None if none."""
        return None

    def fetch(self, url: str, fetcher: "Fetcher") -> Iterator[RawRow]:
        """API sources: yield the raw rows the API at base `url` gives. Raises ImportFailed
        (FetchFailed, BadPayload) when the API keeps failing or answers nonsense."""
        raise NotImplementedError

    def read(self, path: Path) -> Iterator[RawRow]:
        """Yield the raw rows of `path`. Raises ImportFailed when the file is unreadable."""
        raise NotImplementedError

    def external_id(self, row: RawRow) -> str:
        """The row's identifier in the source, "" when it has none. Pure and lenient."""
        raise NotImplementedError

    def set_aside(self, row: RawRow) -> str:
        """Why one of the source's own rules leaves the row out ("" keeps it). Pure.

        Not a rejection: the row is fine, the source just does not describe what Cartess
        shows (a dissolved association, an expired record of another territory...). The
        answer is a short plural label the run's report counts, e.g. "associations
        dissoutes ou supprimées (position D, S)": every row read ends up created, updated,
        unchanged, rejected, out of the territory or set aside.
        """
        return ""

    def data_day(self, row: RawRow) -> object:
        """The day (ISO date or timestamp) `row` says its data was last updated at the
        source, or None. The run keeps the latest (importers.engine.dating) and dates the
        source with `dated_label`. Pure."""
        return None

    def dated_label(self, day: str) -> str:
        """What the pages say of the data's date, for the ISO `day` ("SIRENE au 1er novembre
        2026"); "" for a source that gives none (or a fixed `info.dated`)."""
        return ""

    def loaders(self) -> Mapping[type, Any]:
        """Loaders (importers.engine.loaders.Loader) of the record types only this source
        maps, by type; the engine's own loaders handle the others."""
        return {}

    def locate(self, row: RawRow) -> Whereabouts | None:
        """Where the row lies, for the territory filter; None keeps it whatever its place."""
        return None

    def map(self, row: RawRow) -> Mapped:
        """Turn a raw row into a typed record. Pure; raises RowRejected for a bad row."""
        raise NotImplementedError

    def address_query(self, row: RawRow) -> "AddressQuery | None":
        """Sources that `geocodes`: the address the BAN should place for a raw row that
        lacks a point (its `key` is set by the engine); None for a row that has its own
        point, no address, lies outside the territory or is set aside. Pure and lenient."""
        return None

    def check_scope(self, mapped: Mapped, scope: Any) -> None:
        """A run limited to `scope` (source_import's `scope`): raise RowRejected (or
        ValidationError) when `mapped` lies outside it. Called after `map` and before
        loading, for every row of a scoped run, unchanged ones too; may read the database.
        A source that cannot be scoped raises NotImplementedError, failing the run."""
        raise NotImplementedError(f"{self.slug} cannot run limited to a scope")

    def after_load(self) -> list[str]:
        """After the rows of a real run (not a dry run) are loaded, in its transaction: what
        the source does with the whole of them (e.g. the registers complete the curated
        listings). Returns lines for the report's details."""
        return []

    def load(
        self,
        files: Any,
        *,
        run: Any,
        insee_codes: frozenset[str],
        progress: "ProgressMeter",
        remap: bool = False,
    ) -> BulkResult:
        """Bulk sources only: merge `files` (what `read` returned) in the current
        transaction for the ImportRun `run`, keeping what lies in `insee_codes`, and
        advancing `progress` by every line read. A row whose raw content and mapping
        version did not change is left alone, unless `remap`. Raises ImportFailed when a
        file is unreadable."""
        raise NotImplementedError


def mapping_version_of(source: ImportSource) -> str:
    """The source's mapping version as stored in `Provenance.mapping_version`."""
    return str(source.mapping_version)
