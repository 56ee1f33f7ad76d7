"""The sources of the hostile-input suite, each as a valid file a variant spoils.

A `CsvCase` gives a valid CSV of the source (rows inside Lille), the columns a variant
touches (a free-text one, the coordinates) and what makes a row's identifier; the tests
(test_csv_sources.py) write the spoiled copy and import it.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from directory.records import OrganisationData
from directory.services import organisation_create

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class CsvCase:
    """A CSV source: `header` and `rows` (dicts) of a valid file named `name`."""

    slug: str
    name: str
    header: list[str]
    rows: list[dict[str, str]]
    text: str
    lon: str = ""
    lat: str = ""
    delimiter: str = ","
    setup: Callable[[], object] = field(default=lambda: None)

    def __str__(self) -> str:
        return self.slug

    def render(self, rows: list[dict[str, str]] | None = None, header=None) -> str:
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writerow(header or self.header)
        for row in self.rows if rows is None else rows:
            writer.writerow([row.get(column, "") for column in self.header])
        return out.getvalue()

    def located_row(self) -> int:
        """The index of the first row with coordinates (the one coordinate variants spoil)."""
        return next(i for i, row in enumerate(self.rows) if row.get(self.lon))


def _read(path: Path, delimiter: str = ",") -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter=delimiter)
        return list(reader.fieldnames or []), list(reader)


def _network() -> None:
    data = OrganisationData(name="APES Hauts-de-France", kinds=("reseau",))
    apes = organisation_create(data=data)
    type(apes).objects.filter(pk=apes.pk).update(slug="apes")


def _cartofriches() -> tuple[list[str], list[dict[str, str]]]:
    header, (sample,) = _read(DATA / "cartofriches" / "cnig-friches-fichier-valide.csv")
    rows = [
        sample
        | {
            "site_id": f"59350_TEST-{number}",
            "site_nom": name,
            "comm_nom": "Lille",
            "comm_insee": "59350",
            "geompoint": f"POINT({3.05 + number / 100} 50.63)",
            "geomsurf": "",
        }
        for number, name in enumerate(("Friche Fives-Cail", "Ancienne filature Le Blan"), 1)
    ]
    return header, rows


def csv_cases() -> list[CsvCase]:
    """Every CSV source of the suite."""
    bundled = ROOT / "importers" / "data"
    tiers_lieux = _read(bundled / "tiers-lieux-anct-2019" / "CGET_TiersLieux_2019_lille.csv")
    network = _read(DATA / "network-csv" / "members_utf8_comma.csv")
    inclusion = _read(DATA / "data-inclusion" / "structures.csv")
    seed = _read(bundled / "lille-ess-seed" / "organisations.csv")
    degrees = {"lon": "longitude", "lat": "latitude"}
    return [
        _few(CsvCase("tiers-lieux", "tiers_lieux.csv", *tiers_lieux, "NOM_TL", "LONG", "LAT")),
        _few(CsvCase("network-csv", "membres.csv", *network, "nom", **degrees, setup=_network)),
        _few(CsvCase("data-inclusion", "structures.csv", *inclusion, "nom", **degrees)),
        _few(CsvCase("seed", "organisations.csv", *seed, "name", **degrees)),
        _few(CsvCase("cartofriches", "friches.csv", *_cartofriches(), "site_nom")),
    ]


def _few(case: CsvCase, count: int = 3) -> CsvCase:
    """`case` with its first `count` rows, and its first located row and first row with an
    accent when they come later (a database under load makes every row count)."""
    keep = list(range(min(count, len(case.rows))))
    if case.lon:
        keep.append(case.located_row())
    keep.append(next(i for i, row in enumerate(case.rows) if "é" in "".join(row.values())))
    rows = [case.rows[i] for i in sorted(set(keep))]
    return CsvCase(**{**case.__dict__, "rows": rows})
