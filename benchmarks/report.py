"""The results table, the targets, and the two files written: RESULTS.md and results.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from benchmarks import derived, server_targets
from benchmarks.paths import RESULTS_JSON, RESULTS_MD, redact
from benchmarks.registry import WORKLOADS
from benchmarks.runner import NOT_APPLICABLE, OK, PENDING, SAME, Cell

IMPORT_TARGET_S = 0.2
MAP_SPEEDUP = 3.0
"""How many times faster than flytekit's aloft's map over 10,000 items must be (whole process)."""

# In-process engine overhead per task (the rows of engine_overhead.py carry it too).
ENGINE_TARGET_US = 25.0
# dataframe: aloft's median wall at most flytekit's and at most this many times the floor's.
DATAFRAME_FLOOR_FACTOR = 2.0

# Packages named in RESULTS.md for each environment (results.json lists them all).
_KEY_PACKAGES = ("aloft", "flytekit", "flyteidl", "prefect", "pydantic", "msgspec", "pandas")
_KEY_PACKAGES += ("pyarrow", "numpy", "sqlalchemy", "fastapi", "uvicorn", "certifi")
_KEY_PACKAGES += ("ray", "dbos", "psycopg")


@dataclass
class Report:
    """Everything one invocation measured, and the context to read it in."""

    command: str
    started_utc: str
    duration_s: float
    git: dict[str, Any]
    machine: dict[str, Any]
    envs: dict[str, dict[str, Any]]
    cells: list[Cell]
    engine_overhead: list[dict[str, Any]] | None = None
    engine_overhead_error: str | None = None
    # The runner's servers, by system name (prefect-server, aloft-server): start-up, CPU.
    servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    postgres: dict[str, Any] = field(default_factory=dict)
    runs: int = 0
    quick: bool = False

    def cell(self, workload: str, system: str) -> Cell | None:
        """The cell of ``workload`` on ``system``, if planned."""
        for cell in self.cells:
            if cell.workload.name == workload and cell.system.name == system:
                return cell
        return None

    def wall(self, workload: str, system: str) -> float | None:
        """Median wall seconds of a cell that ran, else None."""
        cell = self.cell(workload, system)
        return cell.wall_s if cell is not None and cell.status == OK else None

    def per_task_ms(self, cell: Cell) -> float | None:
        """(median - median of hello on the same system) / tasks, in milliseconds."""
        hello = self.wall("hello", cell.system.name)
        wall = cell.wall_s
        if not cell.workload.per_task or hello is None or wall is None or cell.status != OK:
            return None
        return (wall - hello) / cell.workload.tasks * 1e3

    def ratio_to_aloft(self, cell: Cell) -> float | None:
        """This cell's median wall time over aloft's for the same workload (aloft-server's
        for the server rows, which aloft runs through its server only)."""
        reference = "aloft" if cell.workload.systems is None else server_targets.ALOFT_SERVER
        aloft = self.wall(cell.workload.name, reference)
        if aloft is None or cell.wall_s is None or cell.status != OK or aloft <= 0:
            return None
        return cell.wall_s / aloft


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _seconds(value: float | None) -> str:
    """Seconds with 3 significant-ish digits: 0.0231, 0.142, 8.61, 97.5."""
    if value is None:
        return ""
    if value < 0.1:
        return f"{value:.4f}"
    if value < 10:
        return f"{value:.3f}"
    return f"{value:.1f}"


def results_table(report: Report) -> str:
    """One row per workload and system: medians, peak memory, per-task overhead, ratio."""
    lines = [
        "| workload | system | wall s (median) | CPU s | server CPU s | max RSS MB "
        "| per-task ms | vs aloft | runs | notes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    pending_shown: set[str] = set()
    for cell in report.cells:
        if cell.status in (SAME, NOT_APPLICABLE):
            continue  # said once below the table
        if cell.status == PENDING:
            if cell.workload.name not in pending_shown:
                pending_shown.add(cell.workload.name)
                note = f"pending: {_escape(cell.note)}"
                lines.append(f"| {cell.workload.name} | all | | | | | | | 0 | {note} |")
            continue
        if cell.status == OK:
            ratio = report.ratio_to_aloft(cell)
            lines.append(
                f"| {cell.workload.name} | {cell.system.name} | {_seconds(cell.wall_s)} "
                f"| {_seconds(cell.cpu_s)} | {_seconds(cell.server_cpu_median_s)} "
                f"| {_num(cell.max_rss_mb, 0)} | {_num(report.per_task_ms(cell), 3)} "
                f"| {'' if ratio is None else f'{ratio:.2f}x'} | {len(cell.samples)} "
                f"| {_escape(cell.note)} |"
            )
        else:
            note = _escape(cell.note) if cell.note else cell.status
            label = {"failed": "**FAILED**: ", "unavailable": ""}.get(cell.status, "")
            lines.append(
                f"| {cell.workload.name} | {cell.system.name} | | | | | | | 0 | {label}{note} |"
            )
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return redact(text).replace("|", "\\|").replace("\n", " ")


def targets_table(report: Report) -> str:
    """The project's targets, each with what this run measured."""
    rows: list[tuple[str, str, str, str]] = []
    bare = report.wall("bare", "aloft")
    for workload, what in (("import", "`import aloft`"), ("import-api", "`from aloft import ...`")):
        value = report.wall(workload, "aloft")
        if value is not None and bare is not None:
            over = value - bare
            status = "met" if over < IMPORT_TARGET_S else "**missed**"
            measured = f"+{over:.3f} s ({value:.3f} s vs bare {bare:.3f} s)"
        else:
            status, measured = "not measured", ""
        rows.append((f"{what} over a bare interpreter", f"< {IMPORT_TARGET_S} s", measured, status))
    for row in report.engine_overhead or []:
        us = row["overhead_us_per_task"]
        status = "met" if us <= row["target_us_per_task"] else "**missed**"
        rows.append(
            (
                f"engine overhead per task, in-process, in-memory store ({row['workflow']})",
                f"≤ {row['target_us_per_task']:.0f} µs",
                f"{us:.1f} µs",
                status,
            )
        )
    if report.engine_overhead is None:
        error = report.engine_overhead_error or "not run"
        rows.append(
            ("engine overhead per task, in-process", f"≤ {ENGINE_TARGET_US:.0f} µs", "", error)
        )
    rows += derived.target_rows(report)
    for workload in ("chain100", "wide200", "wide1000"):
        cell = report.cell(workload, "aloft")
        per_task = report.per_task_ms(cell) if cell else None
        if per_task is not None:
            rows.append(
                (
                    f"per-task cost, whole process ({workload} - hello)",
                    "(context)",
                    f"{per_task:.3f} ms",
                    "not graded: adds compiling at import, noisy medians",
                )
            )
    rows.append(_dataframe_target(report))
    rows.append(_map_target(report))
    rows += server_targets.target_rows(report)
    lines = ["| target | goal | measured | status |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {_escape(d)} |" for a, b, c, d in rows]
    return "\n".join(lines)


def _map_target(report: Report) -> tuple[str, str, str, str]:
    """The map row: aloft's whole process over 10,000 items at least ``MAP_SPEEDUP`` times
    faster than flytekit's, although each of aloft's items is a real task run."""
    what = "map10000 (array node, items dispatched in batches)"
    goal = f"≥ {MAP_SPEEDUP:g}x faster than flytekit (wall)"
    aloft, flytekit = report.wall("map10000", "aloft"), report.wall("map10000", "flytekit")
    if aloft is None or flytekit is None:
        return what, goal, _reference(report, "map10000"), _state(report, "map10000")
    measured = (
        f"aloft {_seconds(aloft)} s, flytekit {_seconds(flytekit)} s ({flytekit / aloft:.1f}x)"
    )
    return what, goal, measured, "met" if flytekit >= MAP_SPEEDUP * aloft else "**missed**"


def _dataframe_target(report: Report) -> tuple[str, str, str, str]:
    """The dataframe row: aloft's median wall at most flytekit's and at most twice the floor's;
    the peak memory (max RSS) of the three alongside, not graded."""
    what = "dataframe 1M\N{MULTIPLICATION SIGN}10 between two tasks"
    goal = f"≤ flytekit and ≤ {DATAFRAME_FLOOR_FACTOR:g}\N{MULTIPLICATION SIGN} floor (wall)"
    systems = ("aloft", "flytekit", "floor")
    walls = {system: report.wall("dataframe", system) for system in systems}
    aloft, flytekit, floor = walls["aloft"], walls["flytekit"], walls["floor"]
    measured = ", ".join(f"{s} {_seconds(w)} s" for s, w in walls.items() if w is not None)
    if measured:
        measured = "wall " + measured
    if aloft is not None and flytekit is not None and floor is not None:
        measured += f" (aloft = {aloft / flytekit:.2f}x flytekit, {aloft / floor:.2f}x floor)"
    rss = []
    for system in systems:
        cell = report.cell("dataframe", system)
        if cell is not None and cell.status == OK and cell.max_rss_mb is not None:
            rss.append(f"{system} {cell.max_rss_mb:.0f} MB")
    if rss:
        measured += f"; max RSS {', '.join(rss)}"
    if aloft is None:
        return what, goal, measured, _state(report, "dataframe")
    if flytekit is None or floor is None:
        return what, goal, measured, "not graded: flytekit or floor not measured"
    limit = DATAFRAME_FLOOR_FACTOR * floor
    misses = []
    if aloft > flytekit:
        misses.append(f"{aloft - flytekit:.3f} s over flytekit")
    if aloft > limit:
        misses.append(
            f"{aloft - limit:.3f} s over {DATAFRAME_FLOOR_FACTOR:g}\N{MULTIPLICATION SIGN} "
            f"floor ({limit:.3f} s)"
        )
    return what, goal, measured, ("**missed**: " + "; ".join(misses)) if misses else "met"


def _reference(report: Report, workload: str) -> str:
    """Other systems' medians for a workload aloft cannot run yet."""
    parts = []
    for cell in report.cells:
        if cell.workload.name == workload and cell.status == OK and cell.system.name != "aloft":
            parts.append(f"{cell.system.name} {_seconds(cell.wall_s)} s")
    return "; ".join(parts)


def _state(report: Report, workload: str) -> str:
    cell = report.cell(workload, "aloft")
    if cell is None:
        return "not measured"
    if cell.status == OK:
        return f"aloft {_seconds(cell.wall_s)} s"
    return "pending" if cell.status in ("unavailable", "pending") else cell.status


def environments_table(report: Report) -> str:
    """Python and key package versions of each system's environment."""
    lines = ["| system | environment | python | packages |", "|---|---|---|---|"]
    for name, env in report.envs.items():
        if "error" in env:
            lines.append(f"| {name} | {env.get('where', '')} | | {_escape(env['error'])} |")
            continue
        packages = env.get("packages", {})
        key = ", ".join(f"{p} {packages[p]}" for p in _KEY_PACKAGES if p in packages)
        lines.append(f"| {name} | {env.get('where', '')} | {env.get('python', '')} | {key} |")
    return "\n".join(lines)


def markdown(report: Report) -> str:
    """RESULTS.md."""
    git = report.git
    dirty = ""
    if git.get("dirty"):
        dirty = f" plus uncommitted changes (in {', '.join(git.get('changed_paths', []))})"
    start = git.get("commit_at_start")
    if start and start != git.get("commit"):
        dirty += (
            f"; **the checkout moved during the run**: it was at `{start}` when the run "
            "started, so earlier rows measured older code"
        )
    machine = report.machine
    parts = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks`; how to read these numbers: `benchmarks/README.md`.",
        "Medians of whole-process runs after a warm-up; the machine is shared and noisy, so the",
        "ratios within this one run are what count, not the absolute seconds.",
        "",
        f"- command: `{report.command}`",
        f"- commit measured: `{git.get('commit')}`{dirty}",
        f"- started (UTC): {report.started_utc}; took {report.duration_s / 60:.1f} min",
        f"- timed runs per cell: {report.runs} after one warm-up (fewer where noted)"
        + (" — quick mode" if report.quick else ""),
        f"- machine: {machine.get('cpu_model')}, {machine.get('cores')} cores, "
        f"{machine.get('memory_gib')} GiB, {machine.get('os')} {machine.get('machine')}",
        "",
        "## Results",
        "",
        "wall = median wall seconds of the whole process; CPU = user + system seconds of the",
        "process and all its children (median); server CPU = the Prefect server's CPU seconds",
        "during the run (prefect-server, aloft-server); max RSS = peak memory of the largest",
        "process;",
        "per-task = (median - median of hello on the same system) / number of tasks;",
        "vs aloft = median wall time over aloft's (2.00x: twice as long); runs = timed runs",
        "(cells under 1 s run 3 times per round). prefect-server shares prefect's interpreter,",
        "aloft-durable and aloft-durable-pg aloft's, dbos-pg dbos's, so their command rows (bare,",
        "import, import-api, cli-help, cli-run) are those systems'; the floor has none but",
        "bare, and only aloft and flytekit have cli-run. The",
        "durable and distributed systems (aloft-durable, aloft-durable-pg, ray, dbos, dbos-pg) run",
        "hello, chain100 and wide1000. The server_* rows run on the systems with a server",
        "(aloft-server, prefect-server) only; vs aloft there compares with aloft-server.",
        "",
        results_table(report),
        "",
        "## Targets",
        "",
        targets_table(report),
        "",
        "## Per task and per second: chain100 and wide1000",
        "",
        "The marginal cost over `hello` on the same system: ms per task = (chain100 - hello) /",
        "100; tasks/s = 1,001 / (wide1000 - hello). *Whole process* uses the median wall times",
        "above; *timed part* the medians of what each workload timed itself around its",
        "orchestrated part (the workflow call; Ray's remote calls; DBOS's workflow; aloft-durable",
        "creating and driving the stored execution), leaving out start-up and shutdown.",
        "aloft-durable's timed part includes starting its 2 worker processes (so does hello's,",
        "and the difference cancels it). The durable targets above are graded on the timed part.",
        "",
        derived.derived_table(report),
        "",
        _postgres_text(report.postgres),
        "",
        "## Engine overhead (in-process, aloft)",
        "",
        "`benchmarks/engine_overhead.py`: `wf(x=0)` for 1,000-task workflows and a 10,000-item",
        "map inside one process (in-memory store, inline executor), minus the same functions",
        "called directly, per task or item; median of 5 after a warm-up.",
        "",
        _engine_table(report),
        "",
        "## Control plane: the server rows",
        "",
        "What each server workload timed itself, end to end from the client (launch through",
        "the API, the run on the server's 2 workers, polling every 10 ms until it ended,",
        "reading the outputs), start-up and registration left out; medians of the timed runs.",
        "",
        server_targets.server_table(report),
        "",
        "## Servers",
        "",
        _server_text(report.servers),
        "",
        "## Environments",
        "",
        environments_table(report),
        "",
        _pins_text(report),
        "",
    ]
    return "\n".join(parts)


def _pins_text(report: Report) -> str:
    """How the environments were pinned and Prefect installed."""
    prefect = report.envs.get("prefect", {}).get("packages", {})
    text = (
        "Pins: `benchmarks/requirements-*.txt`, exact `==` pins of everything installed, with\n"
        "the same pandas, pyarrow and numpy in the flytekit, prefect and floor environments (ray\n"
        "and dbos have none); aloft runs in the repository's `.venv` (`make .venv`)."
    )
    if prefect:
        text += (
            f" Prefect {prefect.get('prefect')} requires certifi>=2026.10.19, and the index\n"
            f"serves certifi {prefect.get('certifi')}: it was installed with pip's ordinary\n"
            "resolution of all its requirements (no relaxed pin, no `--no-deps` step)."
        )
    return text


def _engine_table(report: Report) -> str:
    if report.engine_overhead is None:
        return f"Not measured: {_escape(report.engine_overhead_error or 'not run')}"
    lines = [
        "| workflow | tasks | compile ms | wf(x=0) ms | direct ms | overhead µs/task | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in report.engine_overhead:
        met = "met" if row["overhead_us_per_task"] <= row["target_us_per_task"] else "**missed**"
        lines.append(
            f"| {row['workflow']} | {row['tasks']} | {row['compile_ms']:.1f} "
            f"| {row['workflow_ms']:.1f} | {row['direct_ms']:.3f} "
            f"| {row['overhead_us_per_task']:.1f} | ≤ {row['target_us_per_task']:.0f} µs ({met}) |"
        )
    return "\n".join(lines)


def _postgres_text(postgres: dict[str, Any]) -> str:
    """Which PostgreSQL server the -pg systems used, or why they did not run."""
    if not postgres:
        return "PostgreSQL: not used (no PostgreSQL system ran)."
    if "error" in postgres:
        return f"PostgreSQL: the -pg systems were not available: {_escape(postgres['error'])}"
    return (
        f"PostgreSQL: the server at `{postgres['url']}` (`ALOFT_BENCH_POSTGRES_URL`); every run "
        "of a -pg system had a fresh database of its own, created before the run (outside the "
        "timing) and dropped after it."
    )


def _server_text(servers: dict[str, dict[str, Any]]) -> str:
    if not servers:
        return "None started (no prefect-server or aloft-server cell ran)."
    return "\n\n".join(
        _escape(server_targets.server_text(name, info)) for name, info in servers.items()
    )


def to_json(report: Report) -> dict[str, Any]:
    """results.json: the same and more (every sample, every package version)."""
    cells = []
    for cell in report.cells:
        cells.append(
            {
                "workload": cell.workload.name,
                "system": cell.system.name,
                "status": cell.status,
                "note": redact(cell.note),
                "argv": [redact(arg) for arg in cell.argv],
                "tasks": cell.workload.tasks,
                "expected": cell.workload.expected,
                "wall_s_median": cell.wall_s,
                "cpu_s_median": cell.cpu_s,
                "server_cpu_s_median": cell.server_cpu_median_s,
                "max_rss_mb": cell.max_rss_mb,
                "per_task_ms": report.per_task_ms(cell),
                "ratio_to_aloft": report.ratio_to_aloft(cell),
                "warmup_wall_s": cell.warmup_s,
                "samples": [
                    {
                        "wall_s": m.wall_s,
                        "cpu_s": m.cpu_s,
                        "max_rss_mb": m.max_rss_mb,
                        "orphans_reaped": m.orphans,
                    }
                    for m in cell.samples
                ],
                "server_cpu_s": cell.server_cpu_s,
                "timed_part_s": cell.inner_s,
                "timed_part_s_median": cell.inner_median_s,
                "metrics": cell.metrics,
            }
        )
    return {
        "command": report.command,
        "started_utc": report.started_utc,
        "duration_s": report.duration_s,
        "quick": report.quick,
        "runs": report.runs,
        "git": report.git,
        "machine": report.machine,
        "environments": report.envs,
        "workloads": [
            {
                "name": w.name,
                "summary": w.summary,
                "tasks": w.tasks,
                "size": w.size,
                "expected": w.expected,
                "pending": w.pending,
            }
            for w in WORKLOADS
        ],
        "cells": cells,
        "derived": [row.as_json() for row in derived.derived_rows(report)],
        "engine_overhead": report.engine_overhead,
        "engine_overhead_error": report.engine_overhead_error,
        "prefect_server": report.servers.get("prefect-server", {}),
        "aloft_server": report.servers.get("aloft-server", {}),
        "postgres": report.postgres,
    }


def write(report: Report) -> None:
    """Write RESULTS.md and results.json."""
    RESULTS_MD.write_text(markdown(report))
    RESULTS_JSON.write_text(json.dumps(to_json(report), indent=2, sort_keys=False) + "\n")


def console_summary(report: Report) -> str:
    """What the runner prints at the end."""
    tables = [results_table(report), targets_table(report), derived.derived_table(report)]
    tables.append(server_targets.server_table(report))
    return "\n\n".join([*tables, _engine_table(report)])
