"""Derived numbers: milliseconds per task on chain100 and tasks per second on wide1000, for
every system, and the durable-execution targets graded on them.

Each is the marginal cost over ``hello`` on the same system, so interpreter start-up, imports,
starting a cluster or a worker pool and opening a database cancel out:

- *whole process*: (median wall of the workload - median wall of hello), as in the results
  table's per-task column;
- *timed part*: the same with the seconds the workload timed itself around its orchestrated
  part (its ``TIME`` line: the workflow call, the remote calls, or creating and driving the
  durable execution), which leaves out start-up and shutdown and so is far less noisy where
  start-up takes seconds (Ray).

The targets are graded on the timed part: the same marginal cost, without the start-up noise
that can make a whole-process difference of medians come out negative on a 0.1 s chain; the
whole-process figure is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmarks.runner import OK, Cell
from benchmarks.systems import SYSTEMS

if TYPE_CHECKING:
    from benchmarks.report import Report

CHAIN = "chain100"
WIDE = "wide1000"
# The targets for aloft's durable execution (SQLite, and the same on PostgreSQL).
CHAIN_TARGET_MS = 1.0
WIDE_TARGET_PER_S = 2000.0
DURABLE_SYSTEMS = (("aloft-durable", "SQLite"), ("aloft-durable-pg", "PostgreSQL"))


@dataclass(frozen=True)
class Derived:
    """One system's derived numbers (None: not measured, or hello missing)."""

    system: str
    chain_ms: float | None
    chain_inner_ms: float | None
    wide_per_s: float | None
    wide_inner_per_s: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "chain100_ms_per_task": self.chain_ms,
            "chain100_ms_per_task_timed_part": self.chain_inner_ms,
            "wide1000_tasks_per_s": self.wide_per_s,
            "wide1000_tasks_per_s_timed_part": self.wide_inner_per_s,
        }


def _ok(report: Report, workload: str, system: str) -> Cell | None:
    cell = report.cell(workload, system)
    return cell if cell is not None and cell.status == OK else None


def marginal_s(report: Report, workload: str, system: str, *, inner: bool) -> float | None:
    """Median seconds of ``workload`` minus those of hello on ``system`` (whole process, or
    the workloads' own timed parts with ``inner``)."""
    cell, hello = _ok(report, workload, system), _ok(report, "hello", system)
    if cell is None or hello is None:
        return None
    value = cell.inner_median_s if inner else cell.wall_s
    base = hello.inner_median_s if inner else hello.wall_s
    return None if value is None or base is None else value - base


def _tasks(report: Report, workload: str, system: str) -> int:
    cell = report.cell(workload, system)
    return cell.workload.tasks if cell is not None else 0


def derive(report: Report, system: str) -> Derived:
    """The derived numbers of ``system``."""

    def per_task_ms(inner: bool) -> float | None:
        seconds = marginal_s(report, CHAIN, system, inner=inner)
        tasks = _tasks(report, CHAIN, system)
        return None if seconds is None or not tasks else seconds / tasks * 1e3

    def per_s(inner: bool) -> float | None:
        seconds = marginal_s(report, WIDE, system, inner=inner)
        tasks = _tasks(report, WIDE, system)
        return None if seconds is None or seconds <= 0 or not tasks else tasks / seconds

    return Derived(system, per_task_ms(False), per_task_ms(True), per_s(False), per_s(True))


def derived_rows(report: Report) -> list[Derived]:
    """Every system with a chain100 or wide1000 cell that ran, in the systems' order."""
    rows = []
    for system in SYSTEMS:
        if _ok(report, CHAIN, system.name) or _ok(report, WIDE, system.name):
            rows.append(derive(report, system.name))
    return rows


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def derived_table(report: Report) -> str:
    """chain100 ms per task and wide1000 tasks per second of each system."""
    rows = derived_rows(report)
    if not rows:
        return "Not measured (no chain100 or wide1000 cell ran, or hello was not run)."
    lines = [
        f"| system | {CHAIN} ms/task (whole process) | {CHAIN} ms/task (timed part) "
        f"| {WIDE} tasks/s (whole process) | {WIDE} tasks/s (timed part) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.system} | {_ms(row.chain_ms)} | {_ms(row.chain_inner_ms)} "
            f"| {_rate(row.wide_per_s)} | {_rate(row.wide_inner_per_s)} |"
        )
    return "\n".join(lines)


def _status(report: Report, workload: str, system: str, met: bool | None) -> str:
    if met is not None:
        return "met" if met else "**missed**"
    cell = report.cell(workload, system)
    if cell is None:
        return "not measured"
    if cell.status == OK:
        return "not measured (hello missing)"
    return cell.note or cell.status


def target_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """The durable-execution targets: (target, goal, measured, status), graded on the timed
    part, the whole-process figure shown beside it."""
    rows = []
    for system, database in DURABLE_SYSTEMS:
        row = derive(report, system)
        met = None if row.chain_inner_ms is None else row.chain_inner_ms <= CHAIN_TARGET_MS
        measured = "" if row.chain_inner_ms is None else f"{row.chain_inner_ms:.3f} ms"
        if row.chain_ms is not None:
            measured += f" (whole process {row.chain_ms:.3f} ms)"
        rows.append(
            (
                f"durable {CHAIN}, {database}, 2 worker processes ({system})",
                f"≤ {CHAIN_TARGET_MS:g} ms per task",
                measured,
                _status(report, CHAIN, system, met),
            )
        )
        inner = row.wide_inner_per_s
        met = None if inner is None else inner >= WIDE_TARGET_PER_S
        measured = "" if inner is None else f"{inner:,.0f} tasks/s"
        if row.wide_per_s is not None:
            measured += f" (whole process {row.wide_per_s:,.0f} tasks/s)"
        rows.append(
            (
                f"durable {WIDE}, {database}, 2 worker processes ({system})",
                f"≥ {WIDE_TARGET_PER_S:,.0f} tasks/s",
                measured,
                _status(report, WIDE, system, met),
            )
        )
    return rows
