"""The figures of an HTTP bench run written down: `<date>-<count>.json` and `.md`."""

import json
from datetime import UTC, datetime
from pathlib import Path

#: Where `make bench` writes its figures (committed when they are worth keeping).
RESULTS_FOLDER = Path(__file__).resolve().parent.parent / "results"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def endpoint_line(figures: dict) -> str:
    """One endpoint's figures on one line of the command's report (French)."""
    if "skipped" in figures:
        return f"{figures['label']:<40} ignoré : {figures['skipped']}"
    http, sql = figures["http_ms"], figures["sql_ms"]
    ratio = figures["ratio_p95"]
    line = (
        f"{figures['label']:<40} p50 {_ms(http['p50']):>7}  p95 {_ms(http['p95']):>7}  "
        f"p99 {_ms(http['p99']):>7} ms  {figures['requests_per_second']:>6.1f} req/s  "
        f"SQL p95 {_ms(sql['p95']):>7} ms ({figures['queries_per_request']} requêtes)  "
        f"rapport {'—' if ratio is None else f'{ratio:.2f}'}  {figures['error_count']} erreurs"
    )
    return "\n".join([line, *(f"    erreur : {error}" for error in figures["errors"])])


def markdown_table(run: dict) -> str:
    """The run as a markdown table, with the machine and the load it ran under."""
    machine = run["machine"]
    pg = machine["postgresql_settings"]
    lines = [
        f"# bench_http, {run['organisations']:,} organisations, {run['started_at']}",
        "",
        f"{machine['cpu_count']} CPU ({machine['cpu_model']}), {machine['memory_mb']} MB; "
        f"{machine['postgresql'].split(' on ')[0]} (jit {pg['jit']}, shared_buffers "
        f"{pg['shared_buffers']}, work_mem {pg['work_mem']}); gunicorn {run['workers']} "
        f"workers, production settings; {run['clients']} client(s), {run['requests']} "
        f"requests per endpoint; load average before {run['load_before']}, after "
        f"{run['load_after']}; commit {machine['commit']}.",
        "",
        "| endpoint | p50 ms | p95 ms | p99 ms | req/s | SQL p95 ms | queries | ratio p95 "
        "| errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for figures in run["endpoints"]:
        if "skipped" in figures:
            lines.append(f"| {figures['label']} | skipped: {figures['skipped']} ||||||||")
            continue
        http, sql = figures["http_ms"], figures["sql_ms"]
        ratio = "—" if figures["ratio_p95"] is None else f"{figures['ratio_p95']:.2f}"
        lines.append(
            f"| {figures['label']} | {_ms(http['p50'])} | {_ms(http['p95'])} | "
            f"{_ms(http['p99'])} | {figures['requests_per_second']:.1f} | {_ms(sql['p95'])} | "
            f"{figures['queries_per_request']} | {ratio} | {figures['error_count']} |"
        )
    return "\n".join(lines) + "\n"


def results_write(*, run: dict, folder: Path = RESULTS_FOLDER) -> Path:
    """Write `run` as `<date>-<count>.json` and the same name in `.md` in `folder` (a
    `-2`, `-3`... before the suffix when that day's file exists). Returns the JSON path."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{run['organisations']}"
    path, number = folder / f"{stem}.json", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}.json"
    path.write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown_table(run), encoding="utf-8")
    return path
