"""`manage.py bench_sync`: `sources_sync(force=True)` twice on the generated payload set.

The first run fills an empty directory (a full refresh); the second reads the same pages
again and must write almost nothing. Rows written are counted two ways: the runs' own
counts (created + updated) and the rows whose `xmin` changed in the tables an import writes
(organisations, funding schemes, provenances), which also sees what a count would miss.
"""

import json
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings

from bench.http.machine import load_average, machine_describe
from bench.sync_payloads import (
    BENCH_TOKEN,
    PayloadSet,
    aides_territoires_add,
    recherche_entreprises_add,
    sirene_add,
)
from bench.sync_places import cartofriches_add, data_inclusion_add, qpv_add
from bench.sync_rna import ban_add, rna_add
from bench.sync_server import payload_server
from directory.models import FundingScheme, Organisation
from importers.sync import SyncOutcome, sources_sync

#: The sources the bench serves, and the path of each origin on the local server.
ORIGINS = {
    "aides-territoires": "/aides-territoires",
    "sirene": "/sirene/stock.zip",
    "rna": "/rna/waldec.csv",
    "recherche-entreprises": "/recherche-entreprises",
    "data-inclusion": "/data-inclusion/structures.csv",
    "cartofriches": "/cartofriches",
    "qpv": "/qpv/qpv2024.zip",
}
#: The tables an import writes, whose changed rows the second run counts.
WRITTEN_TABLES = ("directory_organisation", "importers_provenance")


def peak_memory_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss, kilobytes on Linux), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row_versions() -> dict[str, dict[int, str]]:
    """{table: {id: xmin}} of the tables an import writes."""
    versions = {}
    tables = (*WRITTEN_TABLES, FundingScheme._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT id, xmin::text FROM "{table}"')  # noqa: S608 - constants
            versions[table] = dict(cursor.fetchall())
    return versions


def _rows_changed(before: dict[str, dict[int, str]], after: dict[str, dict[int, str]]) -> int:
    """Rows inserted, updated or deleted between two `_row_versions`."""
    changed = 0
    for table, rows in after.items():
        old = before[table]
        changed += sum(1 for key, xmin in rows.items() if old.get(key) != xmin)
        changed += sum(1 for key in old if key not in rows)
    return changed


def _source_figures(outcome: SyncOutcome, peak_mb: float) -> dict:
    report = outcome.report
    figures = {
        "source": outcome.slug,
        "status": str(outcome.status),
        "detail": outcome.detail,
        "seconds": round(outcome.seconds, 2),
        "peak_memory_mb": round(peak_mb, 1),
    }
    if report is not None:
        rows_per_second = report.rows_read / outcome.seconds if outcome.seconds > 0 else 0.0
        figures |= {
            "rows_read": report.rows_read,
            "rows_per_second": round(rows_per_second, 1),
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "out_of_territory": report.out_of_territory,
            "set_aside": report.set_aside_count,
            "rejected": report.rejected,
        }
    return figures


def sync_measure(label: str) -> dict:
    """One `sources_sync(force=True)` of the bench's sources, with its figures."""
    peaks: list[float] = []
    before = _row_versions()
    started = time.perf_counter()
    outcomes = sources_sync(
        only=tuple(ORIGINS),
        force=True,
        on_start=lambda position, total, slug: peaks.append(peak_memory_mb()),
    )
    seconds = time.perf_counter() - started
    peaks = [*peaks[1:], peak_memory_mb()]  # the peak so far when each source ended
    sources = [_source_figures(o, peak) for o, peak in zip(outcomes, peaks, strict=True)]
    rows_read = sum(figures.get("rows_read", 0) for figures in sources)
    return {
        "label": label,
        "seconds": round(seconds, 2),
        "rows_read": rows_read,
        "rows_per_second": round(rows_read / seconds, 1) if seconds > 0 else 0.0,
        "written": sum(f.get("created", 0) + f.get("updated", 0) for f in sources),
        "rows_changed": _rows_changed(before, _row_versions()),
        "organisations": Organisation.objects.count(),
        "peak_memory_mb": round(peak_memory_mb(), 1),
        "failed": [f["source"] for f in sources if f["status"] == "failed"],
        "sources": sources,
    }


def sync_bench(*, scale: float, samples: Path) -> dict:
    """Generate the payloads at `scale` from the recorded `samples`, serve them, sync twice;
    the figures of both runs."""
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="cartess-bench-sync-") as folder:
        payloads = PayloadSet()
        with payload_server(payloads.routes) as base_url:
            prepared = time.perf_counter()
            recherche_entreprises_add(
                payloads,
                samples=samples,
                scale=scale,
                codes=tuple(settings.CARTESS_TERRITORY_INSEE_CODES),
            )
            aides_territoires_add(payloads, base_url=base_url, scale=scale)
            sirene_add(payloads, folder=Path(folder), scale=scale)
            rna_add(payloads, samples=samples, folder=Path(folder), scale=scale)
            ban_add(payloads)
            data_inclusion_add(payloads, samples=samples, folder=Path(folder), scale=scale)
            cartofriches_add(
                payloads,
                samples=samples,
                base_url=base_url,
                scale=scale,
                codes=tuple(settings.CARTESS_TERRITORY_INSEE_CODES),
            )
            qpv_add(payloads, samples=samples, folder=Path(folder), scale=scale)
            prepared = time.perf_counter() - prepared
            origins = {slug: base_url + path for slug, path in ORIGINS.items()}
            with override_settings(
                CARTESS_SCHEDULE_ORIGINS=origins,
                AIDES_TERRITOIRES_API_TOKEN=BENCH_TOKEN,
                CARTESS_BAN_BASE_URL=f"{base_url}/ban",
            ):
                runs = [
                    sync_measure("premier passage (base vide)"),
                    sync_measure("second passage (rien n'a changé)"),
                ]
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "rows_served": payloads.rows,
        "payloads_seconds": round(prepared, 2),
        "runs": runs,
        "machine": machine_describe(),
        "load_before": load_before,
        "load_after": load_average(),
    }


def run_lines(run: dict) -> list[str]:
    """One run as the command prints it (French)."""
    lines = [
        f"{run['label']} : {run['rows_read']:,} lignes lues en {run['seconds']:.1f} s "
        f"({run['rows_per_second']:,.0f} lignes/s), {run['written']:,} écrites selon les "
        f"imports, {run['rows_changed']:,} lignes de base modifiées (xmin), "
        f"{run['organisations']:,} organisations, mémoire maximale {run['peak_memory_mb']:.0f} Mo"
    ]
    for figures in run["sources"]:
        if "rows_read" not in figures:
            lines.append(f"  {figures['source']:<22} {figures['status']} : {figures['detail']}")
            continue
        lines.append(
            f"  {figures['source']:<22} {figures['rows_read']:>8,} lignes "
            f"{figures['seconds']:>7.1f} s {figures['rows_per_second']:>9,.0f} lignes/s  "
            f"créées {figures['created']:,}, mises à jour {figures['updated']:,}, "
            f"inchangées {figures['unchanged']:,}, hors territoire "
            f"{figures['out_of_territory']:,}, écartées {figures['set_aside']:,}, "
            f"rejetées {figures['rejected']:,}; mémoire {figures['peak_memory_mb']:.0f} Mo"
        )
    return lines


def markdown(result: dict) -> str:
    """The figures as a markdown page."""
    served = ", ".join(f"{slug} {rows:,}" for slug, rows in result["rows_served"].items())
    machine = result["machine"]
    lines = [
        f"# bench_sync, scale {result['scale']}, {result['started_at']}",
        "",
        f"Rows served by the local server: {served}. {machine['cpu_count']} CPU "
        f"({machine['cpu_model']}), {machine['memory_mb']} MB; "
        f"{machine['postgresql'].split(' on ')[0]}; load average before "
        f"{result['load_before']}, after {result['load_after']}; commit {machine['commit']}.",
        "",
        "| run | source | rows read | s | rows/s | created | updated | unchanged | peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in result["runs"]:
        for f in run["sources"]:
            lines.append(
                f"| {run['label']} | {f['source']} | {f.get('rows_read', '—')} | "
                f"{f['seconds']} | {f.get('rows_per_second', '—')} | {f.get('created', '—')} | "
                f"{f.get('updated', '—')} | {f.get('unchanged', '—')} | {f['peak_memory_mb']} |"
            )
        lines.append(
            f"| {run['label']} | **all** | {run['rows_read']} | {run['seconds']} | "
            f"{run['rows_per_second']} | written {run['written']} | rows changed (xmin) "
            f"{run['rows_changed']} | organisations {run['organisations']} | "
            f"{run['peak_memory_mb']} |"
        )
    return "\n".join(lines) + "\n"


def sync_results_write(*, result: dict, folder: Path) -> Path:
    """Write `<date>-sync.json` and `.md` in `folder` (`-2`, `-3`... when taken)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-sync"
    path, number = folder / f"{stem}.json", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    return path
