"""aloft's engine overhead per task, measured inside one process.

Times ``wf(x=0)`` for a 1,000-task chain (each task x + 1 of the previous), for 1,000
independent tasks (each x + 1 of the input) summed by one more task, and for a map task over
10 times as many items (x + 1 of each of 0..N-1, each item a real task run, then a sum), minus
the same functions called directly in a loop, divided by the number of tasks or items:
microseconds of orchestration per task (the in-memory store and the inline executor: what
calling a workflow as a function does). Workflows are compiled when decorated, before any
timing. Median of 5 runs after a warm-up; targets: at most 25 µs per task, 20 µs per item.

    .venv/bin/python -m benchmarks.engine_overhead [--runs 5] [--tasks 1000] [--json]

Self-contained (the runner starts it as its own process, so a broken aloft cannot take the
runner down with it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from aloft import map_task, task, workflow

TARGET_US = 25.0
MAP_TARGET_US = 20.0


def inc(x: int) -> int:
    return x + 1


def total(values: list[int]) -> int:
    return sum(values)


def numbers(n: int) -> list[int]:
    return list(range(n))


inc_task = task(inc)
total_task = task(total)
numbers_task = task(numbers)


def build_chain(n: int) -> Any:
    """A workflow of ``n`` sequential inc tasks."""

    def chain_wf(x: int = 0) -> int:
        value = x
        for _ in range(n):
            value = inc_task(x=value)
        return value

    return workflow(chain_wf)


def build_wide(n: int) -> Any:
    """A workflow of ``n`` independent inc tasks on the input, then their sum."""

    def wide_wf(x: int = 0) -> int:
        return total_task(values=[inc_task(x=x) for _ in range(n)])

    return workflow(wide_wf)


def build_map(n: int) -> Any:
    """A workflow mapping inc over 0..n-1, then summing."""

    def map_wf(x: int = 0) -> int:
        return total_task(values=map_task(inc_task)(x=numbers_task(n=n)))

    return workflow(map_wf)


def direct_chain(n: int) -> Callable[[], int]:
    """The chain's functions called directly."""

    def run() -> int:
        value = 0
        for _ in range(n):
            value = inc(value)
        return value

    return run


def direct_wide(n: int) -> Callable[[], int]:
    """The wide workflow's functions called directly."""

    def run() -> int:
        return total([inc(0) for _ in range(n)])

    return run


def direct_map(n: int) -> Callable[[], int]:
    """The map workflow's functions called directly."""

    def run() -> int:
        return total([inc(x) for x in numbers(n)])

    return run


def median_seconds(call: Callable[[], Any], expected: int, runs: int) -> float:
    """Median wall seconds of ``call()`` over ``runs`` runs after one warm-up; checks the
    result each time."""
    samples = []
    for attempt in range(runs + 1):
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        if result != expected:
            raise SystemExit(f"wrong result {result!r}, expected {expected!r}")
        if attempt:
            samples.append(elapsed)
    return statistics.median(samples)


def measure(n: int, runs: int) -> list[dict[str, Any]]:
    """One row per workflow shape: compile time, workflow and direct medians, µs per task."""
    rows = []
    items = 10 * n
    shapes = [
        (f"chain{n}", build_chain, direct_chain(n), n, n, TARGET_US),
        (f"wide{n}", build_wide, direct_wide(n), n * (n + 1) - n * n, n, TARGET_US),
        (
            f"map{items}",
            build_map,
            direct_map(items),
            items * (items + 1) // 2,
            items,
            MAP_TARGET_US,
        ),
    ]
    for name, build, direct, expected, count, target in shapes:
        start = time.perf_counter()
        wf = build(count)
        compile_s = time.perf_counter() - start
        wf_s = median_seconds(lambda wf=wf: wf(x=0), expected, runs)
        direct_s = median_seconds(direct, expected, runs)
        rows.append(
            {
                "workflow": name,
                "tasks": count,
                "compile_ms": compile_s * 1e3,
                "workflow_ms": wf_s * 1e3,
                "direct_ms": direct_s * 1e3,
                "overhead_us_per_task": (wf_s - direct_s) / count * 1e6,
                "target_us_per_task": target,
            }
        )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| workflow | tasks | compile ms | wf(x=0) ms | direct ms | overhead µs/task | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        met = "met" if row["overhead_us_per_task"] <= row["target_us_per_task"] else "MISSED"
        lines.append(
            f"| {row['workflow']} | {row['tasks']} | {row['compile_ms']:.1f} | "
            f"{row['workflow_ms']:.1f} | {row['direct_ms']:.3f} | "
            f"{row['overhead_us_per_task']:.1f} | ≤ {row['target_us_per_task']:.0f} ({met}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print a table (or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs after a warm-up")
    parser.add_argument("--tasks", type=int, default=1000, help="tasks per workflow")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = measure(args.tasks, args.runs)
    print(json.dumps(rows) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
