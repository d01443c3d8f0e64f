"""Plan and run the cells (workload x system): warm-up, then timed runs alternating systems.

Each run is a whole process (``python FILE.py SIZE`` or a command), measured by
``benchmarks.measure``, its printed result checked against the registry's expected value.
Systems take turns within each round, in an order rotated every round, so drift on a shared,
noisy machine hits all of them alike.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import Measurement, run_measured
from benchmarks.paths import STATE_DIR, redact
from benchmarks.postgres import PostgresDatabases
from benchmarks.registry import Workload
from benchmarks.servers import RunningServer
from benchmarks.systems import System

# Cell statuses.
RUN = "run"  # runnable; "ok" once it has samples
OK = "ok"
FAILED = "failed"
UNAVAILABLE = "unavailable"  # aloft lacks a feature the workload needs, or no PostgreSQL
PENDING = "pending"  # no system can run it yet
SKIPPED = "skipped"  # deliberately not run for this system
SAME = "same"  # identical to another system's cell (same interpreter and command)
NOT_APPLICABLE = "n/a"

# Cells whose warm-up took less than this many seconds run CHEAP_REPEAT times per round.
CHEAP_S = 1.0
CHEAP_REPEAT = 3


@dataclass
class Cell:
    """One workload on one system: its command line, status and samples."""

    workload: Workload
    system: System
    status: str
    note: str = ""
    argv: list[str] = field(default_factory=list)
    samples: list[Measurement] = field(default_factory=list)
    server_cpu_s: list[float] = field(default_factory=list)
    # What the workload itself timed (its ``TIME <seconds>`` line), per timed run.
    inner_s: list[float] = field(default_factory=list)
    # Other numbers it printed (``METRIC <name> <value>`` lines), by name, per timed run.
    metrics: dict[str, list[float]] = field(default_factory=dict)
    warmup_s: float | None = None

    @property
    def key(self) -> str:
        return f"{self.workload.name}/{self.system.name}"

    def median(self, metric: Callable[[Measurement], float]) -> float | None:
        """Median of ``metric`` over the timed runs (None without any)."""
        if not self.samples:
            return None
        return statistics.median(metric(sample) for sample in self.samples)

    @property
    def wall_s(self) -> float | None:
        return self.median(lambda m: m.wall_s)

    @property
    def cpu_s(self) -> float | None:
        return self.median(lambda m: m.cpu_s)

    @property
    def max_rss_mb(self) -> float | None:
        return max((m.max_rss_mb for m in self.samples), default=None)

    @property
    def server_cpu_median_s(self) -> float | None:
        return statistics.median(self.server_cpu_s) if self.server_cpu_s else None

    @property
    def inner_median_s(self) -> float | None:
        """Median of the workload's own timing of its orchestrated part (``TIME`` lines)."""
        if not self.inner_s or len(self.inner_s) != len(self.samples):
            return None
        return statistics.median(self.inner_s)

    def metric_median(self, name: str) -> float | None:
        """Median over the timed runs of a ``METRIC`` the workload printed (None: none)."""
        values = self.metrics.get(name)
        if not values or len(values) != len(self.samples):
            return None
        return statistics.median(values)


def plan_cell(workload: Workload, system: System, aloft_probe: Callable[[Workload], str]) -> Cell:
    """The cell of ``workload`` on ``system``: its command line, or why it is not run.

    ``aloft_probe`` returns "" when aloft can run a workload needing a new feature, else the
    reason it cannot.
    """
    if workload.pending:
        return Cell(workload, system, PENDING, workload.pending)
    if workload.systems is not None and system.name not in workload.systems:
        listed = ", ".join(workload.systems)
        return Cell(workload, system, NOT_APPLICABLE, f"runs on {listed} only")
    if workload.systems is None and system.listed_workloads_only:
        return Cell(workload, system, NOT_APPLICABLE, "runs the server_* workloads only")
    if system.name in workload.skip:
        return Cell(workload, system, SKIPPED, workload.skip[system.name])
    if workload.command:
        if system.same_commands_as:
            return Cell(workload, system, SAME, f"same as {system.same_commands_as}")
        argv = command_argv(workload.command, system)
        if argv is None:
            return Cell(workload, system, NOT_APPLICABLE, "no such command for the floor")
        return Cell(workload, system, RUN, argv=argv)
    assert workload.script is not None
    script = system.script(workload.script)
    if not script.exists():
        return Cell(workload, system, NOT_APPLICABLE, f"no {system.workloads}/{script.name}")
    if system.name == "aloft" and workload.aloft_feature:
        reason = aloft_probe(workload)
        if reason:
            note = f"not available in aloft yet (needs {workload.aloft_feature}): {reason}"
            return Cell(workload, system, UNAVAILABLE, note)
    argv = [str(system.python), str(script), *workload.argv_tail()]
    return Cell(workload, system, RUN, argv=argv)


def command_argv(command: str, system: System) -> list[str] | None:
    """The command line of a command workload for ``system`` (None: not applicable)."""
    python = str(system.python)
    if command == "bare":
        return [python, "-c", "pass"]
    if command == "import" and system.import_module:
        return [python, "-c", f"import {system.import_module}"]
    if command == "import-api" and system.api_import:
        return [python, "-c", system.api_import]
    if command == "cli-help" and system.cli:
        return [str(system.executable(system.cli)), "--help"]
    if command == "cli-run" and system.cli and system.cli_runs_files:
        return [str(system.executable(system.cli)), "run", str(system.script("hello")), "hello_wf"]
    return None


def probe_aloft(system: System, workload: Workload, timeout_s: float = 120.0) -> str:
    """Import aloft's file for ``workload`` without running it (its workflows compile at
    import): "" if that works, else the error's last line."""
    assert workload.script is not None
    script = system.script(workload.script)
    code = (
        "import runpy, sys; sys.argv = sys.argv[1:]; "
        "runpy.run_path(sys.argv[0], run_name='benchmark_probe')"
    )
    argv = [str(system.python), "-c", code, str(script), *workload.argv_tail()]
    system.state.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            cwd=system.state,
            env=system.environment(system.state),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"importing the workload timed out after {timeout_s:.0f} s"
    if result.returncode == 0:
        return ""
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    return redact(lines[-1] if lines else f"exit {result.returncode}")


def check_output(cell: Cell, measurement: Measurement) -> str:
    """Empty if the run succeeded and printed the expected result, else what went wrong."""
    if measurement.timed_out:
        return f"timed out after {measurement.wall_s:.0f} s"
    if measurement.returncode != 0:
        return f"exit code {measurement.returncode}: {last_lines(measurement.stderr)}"
    workload = cell.workload
    if workload.command == "cli-help" and "usage" not in measurement.stdout.lower():
        return "no usage text on stdout"
    if workload.command is not None and workload.expected is not None:  # cli-run: printed as is
        if workload.expected not in measurement.stdout:
            return f"{workload.expected!r} not on stdout: {last_lines(measurement.stdout)}"
        return ""
    if workload.expected is not None:
        results = [
            line.removeprefix("RESULT ").strip()
            for line in measurement.stdout.splitlines()
            if line.startswith("RESULT ")
        ]
        if not results:
            return f"no RESULT line on stdout: {last_lines(measurement.stdout)}"
        if results[-1] != workload.expected:
            return f"wrong result {results[-1]!r}, expected {workload.expected!r}"
    return ""


def reported_metrics(stdout: str) -> dict[str, float]:
    """The ``METRIC <name> <value>`` lines a workload printed (the last of each name)."""
    found: dict[str, float] = {}
    for line in stdout.splitlines():
        if line.startswith("METRIC "):
            parts = line.split()
            if len(parts) == 3:
                with contextlib.suppress(ValueError):
                    found[parts[1]] = float(parts[2])
    return found


def reported_time(stdout: str) -> float | None:
    """The seconds of the last ``TIME <seconds>`` line a workload printed (None: none)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("TIME "):
            try:
                return float(line.removeprefix("TIME ").strip())
            except ValueError:
                return None
    return None


def last_lines(text: str, count: int = 3) -> str:
    """The last ``count`` non-empty lines of ``text``, joined, paths redacted."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return redact(" | ".join(lines[-count:])) or "(nothing)"


@dataclass
class Runner:
    """Runs planned cells; ``servers`` (by system name) serve the systems that run against a
    server (prefect-server, aloft-server), ``postgres`` the systems keeping executions in
    PostgreSQL (a fresh database per run)."""

    timeout_s: float
    servers: dict[str, RunningServer] = field(default_factory=dict)
    postgres: PostgresDatabases | None = None
    log: Callable[[str], None] = print
    _count: int = 0

    def run_once(self, cell: Cell, label: str) -> tuple[Measurement, float | None] | None:
        """One measured run of ``cell``, with the server's CPU seconds during it (for the
        systems with a server); marks the cell failed and returns None if the run fails."""
        self._count += 1
        run_id = f"{self._count:04d}-{cell.workload.name}-{cell.system.name}"
        tmpdir = STATE_DIR / "tmp" / run_id
        tmpdir.mkdir(parents=True, exist_ok=True)
        cell.system.state.mkdir(parents=True, exist_ok=True)
        server = self.servers.get(cell.system.name) if cell.system.needs_server else None
        if server is None and cell.system.needs_server:
            cell.status, cell.note = FAILED, "its server is not running"
            return None
        server_cpu = server.cpu_s if server is not None else None
        database = self._create_database(cell)
        if database is None and cell.system.database == "postgres":
            return None
        env = cell.system.environment(
            tmpdir,
            database_url=database[1] if database else None,
            server_env=server.client_env() if server is not None else None,
        )
        short_tmp = None
        if cell.system.short_tmp_variable:
            short_tmp = tempfile.mkdtemp(prefix="aloft-bench-")
            env[cell.system.short_tmp_variable] = short_tmp
        before = server_cpu() if server_cpu else 0.0
        measurement = run_measured(
            cell.argv,
            env=env,
            cwd=cell.system.state,
            timeout_s=self.timeout_s,
            log_dir=STATE_DIR / "logs" / run_id,
        )
        server_s = server_cpu() - before if server_cpu else None
        shutil.rmtree(tmpdir, ignore_errors=True)
        if short_tmp is not None:
            shutil.rmtree(short_tmp, ignore_errors=True)
        if database is not None:
            self._drop_database(database[0])
        problem = check_output(cell, measurement)
        server_text = f" +{server_s:5.2f} s server" if server_s is not None else ""
        if measurement.orphans:
            server_text += f" ({measurement.orphans} leftover processes reaped)"
        inner = reported_time(measurement.stdout)
        if inner is not None:
            server_text += f" [timed part {inner:.3f} s]"
        self.log(
            f"  {cell.workload.name:<14} {cell.system.name:<16} {label:<8} "
            f"{measurement.wall_s:7.2f} s wall {measurement.cpu_s:7.2f} s cpu{server_text} "
            f"{measurement.max_rss_mb:6.0f} MB  {'ok' if not problem else 'FAILED: ' + problem}"
        )
        if problem:
            cell.status, cell.note = FAILED, f"{label}: {problem}"
            return None
        return measurement, server_s

    def _create_database(self, cell: Cell) -> tuple[str, str] | None:
        """A fresh PostgreSQL database (name, URL) for a run of a PostgreSQL system; None for
        other systems, or (the cell then marked failed) if it cannot be created."""
        if cell.system.database != "postgres":
            return None
        if self.postgres is None:
            cell.status, cell.note = FAILED, "no PostgreSQL server configured"
            return None
        try:
            return self.postgres.create()
        except Exception as error:  # psycopg's errors, unreachable server, ...
            cell.status, cell.note = FAILED, f"could not create a database: {redact(str(error))}"
            self.log(f"  {cell.key}: {cell.note}")
            return None

    def _drop_database(self, name: str) -> None:
        """Drop a run's database; a failure is logged (the end of the invocation retries)."""
        if self.postgres is None:
            return
        try:
            self.postgres.drop(name)
        except Exception as error:
            self.log(f"  could not drop database {name} yet: {redact(str(error))}")

    def run_workload(self, cells: Sequence[Cell], runs: int, warmup: bool) -> None:
        """Warm-up (unless disabled), then ``runs`` rounds with a rotating system order.

        A cell whose warm-up took under ``CHEAP_S`` runs ``CHEAP_REPEAT`` times per round: its
        median then rests on more samples, at a cost of seconds, where noise matters most.
        """
        active = [cell for cell in cells if cell.status == RUN]
        if not active:
            return
        repeat = dict.fromkeys((cell.key for cell in active), 1)
        if warmup:
            for cell in active:
                outcome = self.run_once(cell, "warm-up")
                if outcome is not None:
                    cell.warmup_s = outcome[0].wall_s
                    if cell.warmup_s < CHEAP_S:
                        repeat[cell.key] = CHEAP_REPEAT
        for round_index in range(runs):
            shift = round_index % len(active)
            for cell in [*active[shift:], *active[:shift]]:
                for _ in range(repeat[cell.key]):
                    if cell.status != RUN:
                        break
                    outcome = self.run_once(cell, f"run {round_index + 1}/{runs}")
                    if outcome is not None:
                        cell.samples.append(outcome[0])
                        inner = reported_time(outcome[0].stdout)
                        if inner is not None:
                            cell.inner_s.append(inner)
                        for name, value in reported_metrics(outcome[0].stdout).items():
                            cell.metrics.setdefault(name, []).append(value)
                        if outcome[1] is not None:
                            cell.server_cpu_s.append(outcome[1])
        for cell in active:
            if cell.status == RUN:
                cell.status = OK


def clear_state(path: Path = STATE_DIR) -> None:
    """Forget everything earlier invocations left (caches, Prefect databases, logs)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
