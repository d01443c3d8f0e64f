"""The server rows: aloft's control plane (``aloft serve``, the aloft-server system) graded on
the issue's targets, and its numbers beside Prefect's server where both ran.

Every figure comes from what the workloads timed themselves (their ``TIME`` line and
``METRIC`` lines, medians over the timed runs), end to end from the client: launching through
the API, the server running the tasks on its 2 workers, and the client polling (every 10 ms)
until the execution ended and reading its outputs. Process start-up and imports are left
out; so is registering (timed apart, ``register_s``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchmarks.runner import OK, Cell

if TYPE_CHECKING:
    from benchmarks.report import Report

ALOFT_SERVER = "aloft-server"
SERVER_WORKLOADS = (
    "server_submit100",
    "server_chain100",
    "server_map1000",
    "server_launch1000",
    "server_list100k",
    "console_list100k",
    "console_dag1000",
    "console_map10000",
)
CHAIN_TARGET_MS = 2.0
MAP_TARGET_PER_S = 2000.0
LAUNCH_TARGET_S = 30.0
LIST_TARGET_S = 0.1
CONSOLE_TARGETS_S = {
    "console_list100k": (
        0.3,
        "console_list100k: the console's executions page, 100,000 stored",
        ("console_filtered_s", "console_label_s", "console_deep_s"),
    ),
    "console_dag1000": (0.5, "console_dag1000: the console's page of a 1,000-node workflow", ()),
    "console_map10000": (
        0.5,
        "console_map10000: the console's page of a 10,000-item map",
        ("console_map_node_s",),
    ),
}
"""Per console workload: the most a page may take, what it is, and the other pages held to
the same bound (the issue's targets: server time, here measured from a client on loopback)."""


def _ok(report: Report, workload: str, system: str) -> Cell | None:
    cell = report.cell(workload, system)
    return cell if cell is not None and cell.status == OK else None


def _status(report: Report, workload: str) -> str:
    """Why a target is not graded: the aloft-server cell's state."""
    cell = report.cell(workload, ALOFT_SERVER)
    if cell is None:
        return "not measured"
    if cell.status == OK:
        return "not measured (no TIME lines)"
    return cell.note or cell.status


def _missed(by: str) -> str:
    return f"**missed** by {by}"


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1e3:.1f} ms"


def target_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(target, goal, measured, status) of each control-plane target."""
    rows: list[tuple[str, str, str, str]] = []
    what = "server_chain100: 100-task chain launched on `aloft serve` (SQLite, 2 workers)"
    goal = f"≤ {CHAIN_TARGET_MS:g} ms per task, end to end"
    cell = _ok(report, "server_chain100", ALOFT_SERVER)
    timed = cell.inner_median_s if cell else None
    if cell is None or timed is None:
        rows.append((what, goal, "", _status(report, "server_chain100")))
    else:
        per_task = timed / cell.workload.tasks * 1e3
        measured = f"{per_task:.2f} ms ({timed:.3f} s for 100 tasks)"
        one = cell.metric_median("one_task_s")
        if one is not None:
            marginal = (timed - one) / (cell.workload.tasks - 1) * 1e3
            measured += f"; {marginal:.2f} ms over a one-task execution ({one:.3f} s)"
        over = per_task - CHAIN_TARGET_MS
        status = "met" if over <= 0 else _missed(f"{over:.2f} ms per task")
        rows.append((what, goal, measured, status))

    what = "server_map1000: map_task over 1,000 items (1,002 tasks) on `aloft serve`"
    goal = f"≥ {MAP_TARGET_PER_S:,.0f} tasks/s, end to end"
    cell = _ok(report, "server_map1000", ALOFT_SERVER)
    timed = cell.inner_median_s if cell else None
    if cell is None or timed is None:
        rows.append((what, goal, "", _status(report, "server_map1000")))
    else:
        rate = cell.workload.tasks / timed
        measured = f"{rate:,.0f} tasks/s ({timed:.3f} s)"
        one = cell.metric_median("one_task_s")
        if one is not None and timed > one:
            measured += f"; {cell.workload.tasks / (timed - one):,.0f} over a one-task execution"
        status = "met" if rate >= MAP_TARGET_PER_S else _missed(f"{MAP_TARGET_PER_S - rate:,.0f}")
        rows.append((what, goal, measured, status))

    what = "server_launch1000: 1,000 one-task executions launched through the API, all ended"
    goal = f"< {LAUNCH_TARGET_S:g} s"
    cell = _ok(report, "server_launch1000", ALOFT_SERVER)
    timed = cell.inner_median_s if cell else None
    if cell is None or timed is None:
        rows.append((what, goal, "", _status(report, "server_launch1000")))
    else:
        measured = f"{timed:.2f} s"
        launch = cell.metric_median("launch_s")
        if launch is not None:
            each = launch / cell.workload.tasks * 1e3
            measured += f" (the 1,000 POSTs alone: {launch:.2f} s, {each:.2f} ms each)"
        over = timed - LAUNCH_TARGET_S
        status = "met" if over < 0 else _missed(f"{over:.1f} s")
        rows.append((what, goal, measured, status))

    what = "server_list100k: one page (limit 100) of GET /api/v1/executions, 100,000 stored"
    goal = f"< {LIST_TARGET_S * 1e3:.0f} ms per page"
    cell = _ok(report, "server_list100k", ALOFT_SERVER)
    first = cell.inner_median_s if cell else None
    deep = cell.metric_median("deep_page_s") if cell else None
    if cell is None or first is None or deep is None:
        rows.append((what, goal, "", _status(report, "server_list100k")))
    else:
        measured = f"first page {_ms(first)}, 50,000 deep {_ms(deep)}"
        worst = max(first, deep)
        over = worst - LIST_TARGET_S
        status = "met" if over < 0 else _missed(f"{over * 1e3:.0f} ms")
        rows.append((what, goal, measured, status))
    for name, (limit, what, others) in CONSOLE_TARGETS_S.items():
        goal = f"< {limit * 1e3:.0f} ms a page"
        cell = _ok(report, name, ALOFT_SERVER)
        timed = cell.inner_median_s if cell else None
        if cell is None or timed is None:
            rows.append((what, goal, "", _status(report, name)))
            continue
        pages = [timed, *(v for m in others if (v := cell.metric_median(m)) is not None)]
        measured = f"{_ms(timed)}; slowest of its pages {_ms(max(pages))}"
        over = max(pages) - limit
        rows.append((what, goal, measured, "met" if over < 0 else _missed(f"{over * 1e3:.0f} ms")))
    return rows


# Per workload: the METRIC lines shown in the server table, with their labels.
_SHOWN_METRICS = {
    "server_submit100": (("launch_s", "POSTs"),),
    "server_chain100": (
        ("server_side_s", "created to ended, as the server recorded it"),
        ("one_task_s", "one-task execution"),
        ("register_s", "register"),
    ),
    "server_map1000": (
        ("server_side_s", "created to ended, as the server recorded it"),
        ("one_task_s", "one-task execution"),
        ("register_s", "register"),
    ),
    "server_launch1000": (("launch_s", "POSTs"),),
    "server_list100k": (
        ("deep_page_s", "page 50,000 deep"),
        ("scoped_page_s", "first page, project and domain given"),
        ("first_page_cold_s", "first GET of the run"),
        ("page1000_s", "a page of 1,000"),
    ),
    "console_list100k": (
        ("console_filtered_s", "filtered by phase and workflow"),
        ("console_label_s", "by a label none has"),
        ("console_deep_s", "page 50,000 deep"),
    ),
    "console_dag1000": (
        ("console_first_s", "first GET (layout computed)"),
        ("console_status_s", "live-status document"),
    ),
    "console_map10000": (("console_map_node_s", "the map node's page"),),
}


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}" if value < 0.1 else f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _rate(cell: Cell, timed: float) -> str:
    """The timed part per task, or per second, as the workload's target counts it."""
    name, tasks = cell.workload.name, cell.workload.tasks
    if name == "server_chain100":
        return f"{timed / tasks * 1e3:.2f} ms/task"
    if name == "server_map1000":
        return f"{tasks / timed:,.0f} tasks/s"
    if name in ("server_submit100", "server_launch1000"):
        return f"{tasks / timed:,.0f} executions/s"
    if name == "server_list100k" or name.startswith("console_"):
        return f"{timed * 1e3:.1f} ms/page"
    return ""


def server_table(report: Report) -> str:
    """The server rows by their own timings: the timed part (median), what the target counts,
    the client's and the server's CPU, and the other numbers the workload printed."""
    lines = [
        "| workload | system | timed part s (median) | rate | wall s | CPU s | server CPU s "
        "| runs | also measured (medians) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    shown = 0
    for cell in report.cells:
        if cell.workload.name not in SERVER_WORKLOADS or cell.status != OK:
            continue
        timed = cell.inner_median_s
        rate = _rate(cell, timed) if timed else ""
        extra = []
        for metric, label in _SHOWN_METRICS.get(cell.workload.name, ()):
            value = cell.metric_median(metric)
            if value is not None:
                extra.append(f"{label} {_seconds(value)} s")
        stored = cell.metric_median("stored")
        if stored is not None:
            extra.append(f"{stored:,.0f} executions stored")
        lines.append(
            f"| {cell.workload.name} | {cell.system.name} | {_seconds(timed)} | {rate} "
            f"| {_seconds(cell.wall_s)} | {_seconds(cell.cpu_s)} "
            f"| {_seconds(cell.server_cpu_median_s)} | {len(cell.samples)} | {'; '.join(extra)} |"
        )
        shown += 1
    if not shown:
        return "No server row ran."
    return "\n".join(lines)


def server_text(name: str, info: dict[str, Any]) -> str:
    """How the server of system ``name`` ran."""
    if "error" in info:
        return f"{name}: could not start: {info['error']}"
    if name == "prefect-server":
        started = "`prefect server start --host 127.0.0.1`"
    else:
        started = "`aloft serve --db sqlite:///… --store … --workers 2 --host 127.0.0.1`"
    total = info.get("total_cpu_s")
    used = "" if total is None else f"; over the whole session, warm-ups included, {total:.1f} s"
    return (
        f"{name}: {started} on a free port, started once before the timed runs (healthy after "
        f"{info['startup_s']:.1f} s, {info['startup_cpu_s']:.1f} s CPU) and stopped at the end; "
        f"its CPU during each run is the *server CPU* column{used}."
    )
