"""`manage.py bench_hostile`: each importer on `copies` rows of one identifier, measured.

The parent process prepares the database (the communes, quartiers and tiers-lieux that the
copies refer to), writes each file (bench.hostile_files), serves the Recherche
d'entreprises pages and the BAN (bench.sync_server), and runs each import in a child
process of its own (`bench_hostile --measure`), so that each import's peak memory is its
own: the child's `ru_maxrss` (resident high-water mark) before and after the import, the
difference being what the import added. It then checks the outcome: one row kept, every
other copy refused as "Identifiant en double dans le fichier" and stored as such; for the
API, the source's own rule (a unit the API repeats is read once, silently).
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from bench.hostile_files import FILE_BUILDERS, re_routes
from bench.sirene_files import Stopwatch, peak_memory_mb
from bench.sync_payloads import PayloadSet
from bench.sync_rna import ban_add
from bench.sync_server import payload_server
from importers.engine.services import source_import
from importers.io.http import Fetcher
from importers.models import ImportRun

RE = "recherche-entreprises"
#: The measured sources, in the order they run.
SLUGS = (RE, *FILE_BUILDERS)
#: Imported from their bundled files first: what the copies refer to (a commune's parent,
#: the boundary SIAE needs, the tiers-lieux record the closure closes).
SETUP = ("communes", "quartiers", "tiers-lieux")
DOUBLE = "en double"
ROOT = Path(__file__).resolve().parent.parent


def copies_measure(*, slug: str, path: str, base_url: str, copies: int) -> dict:
    """Run the import of `slug` on its copies (in this process), return its figures.

    Side effects: writes the import's run, its one kept row and its rejections.
    """
    settings.CARTESS_BAN_BASE_URL = f"{base_url}/ban"
    if slug == RE:
        # The API's rate limit (7/s) would make the run last its 4,000 pages' wait.
        origin = {"url": base_url, "fetcher": Fetcher(rate_per_second=None)}
    else:
        origin = {"path": Path(path)}
    load = os.getloadavg()[0]
    before = peak_memory_mb()
    clock = Stopwatch()
    report = source_import(slug=slug, **origin)
    seconds = clock.seconds
    peak = peak_memory_mb()
    stored = ImportRun.objects.get(pk=report.run_id).rejections
    return {
        "source": slug,
        "copies": copies,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before),
        "rss_peak_mb": round(peak),
        "rss_added_mb": round(peak - before),
        "rows_read": report.rows_read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": len(report.rejections),
        "doubles": sum(DOUBLE in rejection.reason for rejection in report.rejections),
        "doubles_stored": stored.filter(reason__contains=DOUBLE).count(),
        "load_average": round(load, 1),
    }


def outcome_right(figures: dict) -> bool:
    """One row kept and every other copy refused as a double (stored); for the API, one
    result read and nothing refused (it never repeats a unit: the source's rule)."""
    kept = figures["created"] + figures["updated"] + figures["unchanged"]
    if figures["source"] == RE:
        return (kept, figures["rows_read"], figures["rejected"]) == (1, 1, 0)
    doubles = figures["copies"] - 1
    return (kept, figures["doubles"], figures["doubles_stored"]) == (1, doubles, doubles)


def _child(slug: str, path: Path | None, base_url: str, copies: int) -> dict:
    command = [sys.executable, str(ROOT / "manage.py"), "bench_hostile", "--measure", slug]
    command += ["--copies", str(copies), "--base-url", base_url, "--path", str(path or "")]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    if done.returncode:
        return {"source": slug, "copies": copies, "error": done.stderr.strip()[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def hostile_bench(*, copies: int, folder: Path, only: tuple[str, ...] = ()) -> dict:
    """Prepare the database, then measure each source of `only` (default: all SLUGS).

    Returns the result: the date, the machine, one figures dict per source (with `ok`,
    the outcome checked, and `file_mb`). Side effects: imports the SETUP sources, writes
    the files into `folder`, and each child's run.
    """
    for slug in SETUP:
        source_import(slug=slug)
    payloads = PayloadSet()
    ban_add(payloads)
    payloads.routes |= re_routes(copies)
    measures = []
    with payload_server(payloads.routes) as base_url:
        for slug in only or SLUGS:
            path = FILE_BUILDERS[slug](folder, copies) if slug in FILE_BUILDERS else None
            figures = _child(slug, path, base_url, copies)
            figures["file_mb"] = round(path.stat().st_size / 2**20, 1) if path else None
            figures["ok"] = "error" not in figures and outcome_right(figures)
            measures.append(figures)
            path and path.unlink()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_end": [round(value, 1) for value in os.getloadavg()],
        "copies": copies,
        "measures": measures,
    }


def result_lines(result: dict) -> list[str]:
    """The result as a Markdown table (French headers: the bench speaks French)."""
    lines = [
        f"{result['copies']:,} copies d'un identifiant, {result['date']}, "
        f"{result['cpus']} cœurs partagés, charge en fin de mesure {result['load_average_end']}",
        "",
        "| source | fichier (Mo) | secondes | mémoire avant / pic / ajout (Mo, ru_maxrss) "
        "| lues | gardées | en double (stockées) | charge | résultat |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in result["measures"]:
        if "error" in m:
            lines.append(f"| {m['source']} | | | | | | | | échec : {m['error'][-300:]!r} |")
            continue
        kept = m["created"] + m["updated"] + m["unchanged"]
        lines.append(
            f"| {m['source']} | {m['file_mb'] or 'API'} | {m['seconds']} | "
            f"{m['rss_before_mb']} / {m['rss_peak_mb']} / {m['rss_added_mb']} | "
            f"{m['rows_read']} | {kept} | {m['doubles']} ({m['doubles_stored']}) | "
            f"{m['load_average']} | {'juste' if m['ok'] else 'FAUX'} |"
        )
    return lines


def hostile_results_write(*, result: dict, folder: Path) -> Path:
    """Write `result` as `<date>-hostile.json` and `.md` into `folder`; returns the JSON."""
    stem = folder / f"{result['date'][:10]}-hostile"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text("\n".join(result_lines(result)) + "\n", encoding="utf-8")
    return stem.with_suffix(".json")
