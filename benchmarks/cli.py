"""``python -m benchmarks``: build the environments, run the workloads, write the results.

    .venv/bin/python -m benchmarks                  # everything: under 30 minutes
    .venv/bin/python -m benchmarks --quick          # the cheap workloads: under 5 minutes
    .venv/bin/python -m benchmarks --only hello,chain100 --systems aloft,flytekit --runs 3

Run it from the repository root (``make bench BENCH_ARGS=--quick`` does).
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

from benchmarks import envs, report
from benchmarks.aloft_server import start_aloft_server
from benchmarks.machine import env_details, git_commit, machine_details
from benchmarks.measure import become_subreaper
from benchmarks.paths import BENCH_DIR, REPO_ROOT, STATE_DIR, redact
from benchmarks.postgres import PostgresDatabases, shown
from benchmarks.prefect_server import start_prefect_server
from benchmarks.registry import WORKLOADS, WORKLOADS_BY_NAME, Workload
from benchmarks.runner import (
    FAILED,
    RUN,
    UNAVAILABLE,
    Cell,
    Runner,
    clear_state,
    plan_cell,
    probe_aloft,
)
from benchmarks.servers import RunningServer
from benchmarks.systems import SYSTEMS, SYSTEMS_BY_NAME, System

ENGINE_OVERHEAD = "engine-overhead"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    names = ", ".join([*WORKLOADS_BY_NAME, ENGINE_OVERHEAD])
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=(
            "Run aloft's benchmark workloads against flytekit, Prefect, Ray, DBOS and a floor."
        ),
    )
    parser.add_argument("--only", help=f"comma-separated workloads (of: {names})")
    parser.add_argument(
        "--systems",
        help=f"comma-separated systems (default all: {', '.join(SYSTEMS_BY_NAME)})",
    )
    parser.add_argument("--runs", type=int, help="timed runs per cell (default 4; quick: 2)")
    parser.add_argument(
        "--quick", action="store_true", help="only the cheap workloads (under 5 minutes)"
    )
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up runs")
    parser.add_argument("--timeout", type=float, help="seconds per run (default 600; quick: 120)")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave RESULTS.md, results.json"
    )
    return parser.parse_args(argv)


def _pick(text: str | None, known: dict[str, Any], what: str) -> list[str] | None:
    """Names from a comma-separated option, checked against ``known``."""
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)}; known: {', '.join(known)}")
    return names


def main(argv: list[str] | None = None) -> int:
    """Run the suite; exit 1 if any run failed."""
    args = parse_args(argv)
    started = time.perf_counter()
    started_utc = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    known_workloads: dict[str, Any] = {**WORKLOADS_BY_NAME, ENGINE_OVERHEAD: None}
    only = _pick(args.only, known_workloads, "workload")
    system_names = _pick(args.systems, SYSTEMS_BY_NAME, "system")
    systems = [s for s in SYSTEMS if system_names is None or s.name in system_names]
    workloads = [
        w
        for w in WORKLOADS
        if (only is None and (w.quick or not args.quick)) or (only and w.name in only)
    ]
    runs = args.runs if args.runs is not None else (2 if args.quick else 4)
    timeout = args.timeout if args.timeout is not None else (120.0 if args.quick else 600.0)
    command = shlex.join([".venv/bin/python", "-m", "benchmarks", *(sys.argv[1:] or [])])
    if argv is not None:
        command = shlex.join([".venv/bin/python", "-m", "benchmarks", *argv])

    commit_at_start = git_commit().get("commit")
    clear_state()
    become_subreaper()
    env_errors = prepare_environments(systems)
    cells = plan(workloads, systems, env_errors)
    postgres_info: dict[str, Any] = {}
    postgres = check_postgres(cells, postgres_info)
    print(f"[plan] {sum(c.status == RUN for c in cells)} cells to run, {runs} runs each")
    for cell in cells:
        if cell.status != RUN:
            print(f"  {cell.key:<32} {cell.status}: {redact(cell.note)}")

    server_info: dict[str, dict[str, Any]] = {}
    servers = start_servers(cells, server_info)
    runner = Runner(timeout_s=timeout, servers=servers, postgres=postgres)
    try:
        for workload in workloads:
            row = [cell for cell in cells if cell.workload is workload]
            if any(cell.status == RUN for cell in row):
                print(f"[{workload.name}] {workload.summary}")
            workload_runs = min(runs, workload.max_runs or runs)
            runner.run_workload(row, workload_runs, warmup=workload.warmup and not args.no_warmup)
    finally:
        for name, server in servers.items():
            server_info[name]["total_cpu_s"] = server.stop()
            print(f"[{name}] stopped; {server_info[name]['total_cpu_s']:.1f} s CPU in all")
        if postgres is not None:
            drop_databases(postgres)

    overhead, overhead_error = None, "not selected"
    aloft = SYSTEMS_BY_NAME["aloft"]
    if aloft in systems and (only is None or ENGINE_OVERHEAD in only):
        print("[engine-overhead] in-process, aloft")
        overhead, overhead_error = run_engine_overhead(aloft, timeout)

    result = report.Report(
        command=command,
        started_utc=started_utc,
        duration_s=time.perf_counter() - started,
        git={**git_commit(), "commit_at_start": commit_at_start},
        machine=machine_details(),
        envs=environment_details(systems, env_errors),
        cells=cells,
        engine_overhead=overhead,
        engine_overhead_error=overhead_error,
        servers=server_info,
        postgres=postgres_info,
        runs=runs,
        quick=args.quick,
    )
    print()
    print(report.console_summary(result))
    if not args.no_write:
        report.write(result)
        print(
            f"\nwrote {report.RESULTS_MD.relative_to(REPO_ROOT)} and "
            f"{report.RESULTS_JSON.relative_to(REPO_ROOT)} ({result.duration_s / 60:.1f} min)"
        )
    return 1 if any(cell.status == FAILED for cell in cells) else 0


def prepare_environments(systems: list[System]) -> dict[str, str]:
    """Build (or check) every environment the systems need; system name -> error if one
    could not be built (its cells are then reported failed, the rest still run)."""
    errors: dict[str, str] = {}
    built: dict[str | None, str] = {}
    for system in systems:
        if system.env not in built:
            try:
                if system.env is None:
                    envs.ensure_repo_venv()
                else:
                    envs.ensure_env(system.env)
                built[system.env] = ""
            except (envs.EnvBuildError, OSError) as error:
                built[system.env] = redact(str(error))
        if built[system.env]:
            errors[system.name] = built[system.env]
    return errors


def plan(
    workloads: list[Workload], systems: list[System], env_errors: dict[str, str]
) -> list[Cell]:
    """Every cell, runnable or with the reason it is not."""
    aloft = SYSTEMS_BY_NAME["aloft"]
    probes: dict[str, str] = {}

    def aloft_probe(workload: Workload) -> str:
        if workload.name not in probes:
            probes[workload.name] = probe_aloft(aloft, workload)
        return probes[workload.name]

    cells = []
    for workload in workloads:
        for system in systems:
            if system.name in env_errors:
                error = f"environment not built: {env_errors[system.name]}"
                cells.append(Cell(workload, system, FAILED, error))
            else:
                cells.append(plan_cell(workload, system, aloft_probe))
    return cells


def check_postgres(cells: list[Cell], info: dict[str, Any]) -> PostgresDatabases | None:
    """The PostgreSQL server for the cells that need one; if it is unreachable, those cells
    are "not available" (the others still run) and None is returned."""
    needing = [c for c in cells if c.status == RUN and c.system.database == "postgres"]
    if not needing:
        return None
    databases = PostgresDatabases()
    info["url"] = shown(databases.url)
    problem = databases.problem()
    if problem:
        info["error"] = redact(problem)
        print(f"[postgres] {info['error']}")
        for cell in needing:
            cell.status, cell.note = UNAVAILABLE, f"not available: {info['error']}"
        return None
    print(f"[postgres] {info['url']}: a fresh database per run ({databases.prefix}NNNN)")
    return databases


def drop_databases(postgres: PostgresDatabases) -> None:
    """Drop whatever databases of this invocation are left (a run's own drop failed)."""
    try:
        left = postgres.drop_all()
    except Exception as error:  # the server went away: say so, do not fail the invocation
        print(f"[postgres] could not drop this invocation's databases: {redact(str(error))}")
        return
    if left:
        print(f"[postgres] dropped {left} leftover databases")


def start_servers(cells: list[Cell], info: dict[str, dict[str, Any]]) -> dict[str, RunningServer]:
    """Start the server of each system with a cell to run (Prefect's, aloft's), by system
    name; if one does not start, that system's cells fail and the others still run."""
    servers: dict[str, RunningServer] = {}
    for system in SYSTEMS:
        needing = [c for c in cells if c.status == RUN and c.system is system]
        if not system.needs_server or not needing:
            continue
        print(f"[{system.name}] starting its server on 127.0.0.1 ...")
        info[system.name] = {}
        try:
            server = start_server(system)
        except (RuntimeError, OSError) as error:
            info[system.name]["error"] = redact(str(error))
            for cell in needing:
                cell.status, cell.note = (
                    FAILED,
                    f"server did not start: {info[system.name]['error']}",
                )
            continue
        info[system.name]["startup_s"] = server.startup_s
        info[system.name]["startup_cpu_s"] = server.cpu_at_start_s
        print(f"[{system.name}] healthy after {server.startup_s:.1f} s at {server.url}")
        servers[system.name] = server
    return servers


def start_server(system: System) -> RunningServer:
    """Start ``system``'s server in a folder of the runner's state."""
    if system.server == "prefect":
        return start_prefect_server(system, STATE_DIR / "prefect-server-daemon")
    if system.server == "aloft":
        return start_aloft_server(system, STATE_DIR / "aloft-server-daemon")
    raise RuntimeError(f"no such server: {system.server!r}")


def run_engine_overhead(aloft: System, timeout_s: float) -> tuple[Any, str | None]:
    """Run benchmarks/engine_overhead.py in aloft's interpreter; (rows, None) or (None, why)."""
    argv = [str(aloft.python), str(BENCH_DIR / "engine_overhead.py"), "--json"]
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout_s, cwd=REPO_ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout_s:.0f} s"
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        return None, redact(lines[-1] if lines else f"exit {result.returncode}")
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    for row in rows:
        print(
            f"  {row['workflow']:<10} {row['overhead_us_per_task']:8.1f} µs/task "
            f"(wf {row['workflow_ms']:.1f} ms, direct {row['direct_ms']:.3f} ms)"
        )
    return rows, None


def environment_details(systems: list[System], env_errors: dict[str, str]) -> dict[str, Any]:
    """Python and packages of each system's environment, keyed by system name."""
    details: dict[str, Any] = {}
    for system in systems:
        where = ".venv" if system.env is None else f"benchmarks/.envs/{system.env}"
        if system.name in env_errors:
            details[system.name] = {"where": where, "error": env_errors[system.name]}
            continue
        details[system.name] = {"where": where, **env_details(system.python)}
    return details
