"""Durable runs as a user runs them: real `aloft` processes, real worker processes, real
signals, a real SQLite database."""

from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from durable import (
    ROOT,
    aloft,
    aloft_process,
    gone_within,
    opened,
    pid_alive,
    succeeded_steps,
    wait_for_file,
    wait_for_lines,
)

from aloft.ir import EventKind, ExecutionId, ExecutionPhase, NodePhase

FIXTURE = ROOT / "tests" / "fixtures" / "durable_tasks.py"

pytestmark = pytest.mark.integration


def start_waiting_task(
    tmp_path: Path, db: str, name: str, workflow: str
) -> tuple[subprocess.Popen[str], int]:
    """Start durable run ``name`` of ``workflow``, whose task writes its worker's pid to a
    marker file; returns the run's process and that worker's pid once it is running."""
    marker = tmp_path / "pid"
    process = aloft_process(
        "run",
        "--durable",
        "--name",
        name,
        "--db",
        db,
        str(FIXTURE),
        workflow,
        "--marker",
        str(marker),
    )
    return process, int(wait_for_file(marker))


def test_a_run_killed_ten_times_finishes_without_rerunning_recorded_successes(
    tmp_path: Path, db: str
) -> None:
    log = tmp_path / "steps.log"
    node_of_index = {str(i): f"n{i}" for i in range(20)}  # step i is node n{i}
    rng = random.Random(7)
    snapshots: list[tuple[set[str], collections.Counter[str]]] = []
    command = ["run", "--durable", "--name", "crashy", "--db", db, str(FIXTURE), "twenty_steps"]
    process = aloft_process(*command, "--log", str(log))
    for _ in range(10):
        # Kill at a random moment once this process has made some progress, so that no one
        # step is in flight at every kill (each loss costs one of its system retries).
        seen = len(log.read_text().split()) if log.exists() else 0
        wait_for_lines(log, seen + 1)
        time.sleep(rng.uniform(0.0, 0.5))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        time.sleep(0.2)  # its workers die with it; give them the moment it takes
        lines = collections.Counter(log.read_text().split()) if log.exists() else {}
        snapshots.append((succeeded_steps(db, "crashy"), collections.Counter(lines)))
        process = aloft_process("resume", "crashy", "--db", db)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert stdout == f"{sum(range(20))}\n"

    final = collections.Counter(log.read_text().split())
    assert set(final) == set(node_of_index)
    assert any(recorded for recorded, _ in snapshots[:5])
    for recorded, lines_then in snapshots:
        for index, node in node_of_index.items():
            if node in recorded:  # its success was recorded before the kill: never ran again
                assert final[index] == lines_then[index], f"step {index} ran again"
    with opened(db) as store:
        record = store.load(ExecutionId(name="crashy")).execution
    assert record.phase is ExecutionPhase.SUCCEEDED


def test_a_worker_killed_mid_task_is_a_system_failure_retried_even_with_no_retries(
    tmp_path: Path, db: str
) -> None:
    process, worker = start_waiting_task(tmp_path, db, "victim", "survive_a_kill")
    os.kill(worker, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout.startswith("survived in ") and stdout.strip() != f"survived in {worker}"
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="victim"))
    node = snapshot.nodes[next(iter(snapshot.nodes))]
    assert (node.attempt, node.user_failures, node.system_failures) == (1, 0, 1)
    first = next(a for a in snapshot.attempts.values() if a.number == 0)
    assert first.error is not None and "SIGKILL" in first.error.message


def test_terminate_stops_the_running_worker_within_two_seconds_and_records_nothing_after(
    tmp_path: Path, db: str
) -> None:
    process, worker = start_waiting_task(tmp_path, db, "forever", "endless")
    started = time.monotonic()
    result = aloft("terminate", "forever", "--db", db)
    assert result.returncode == 0, result.stderr
    while pid_alive(worker) and time.monotonic() - started < 5:
        time.sleep(0.02)
    assert not pid_alive(worker)
    assert time.monotonic() - started < 2.0
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "aborted" in stderr

    with opened(db) as store:
        events = store.events(ExecutionId(name="forever"))
        assert events[-1].kind is EventKind.EXECUTION and events[-1].phase == "aborted"
        time.sleep(0.5)
        assert len(store.events(ExecutionId(name="forever"))) == len(events)
        snapshot = store.load(ExecutionId(name="forever"))
    assert snapshot.execution.phase is ExecutionPhase.ABORTED
    assert {a.phase for a in snapshot.attempts.values()} == {NodePhase.ABORTED}
    again = aloft("terminate", "forever", "--db", db)
    assert again.returncode == 2 and "has already ended" in again.stderr


def test_terminating_an_execution_whose_process_died_ends_it_at_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    process, worker = start_waiting_task(tmp_path, db, "orphan", "endless")
    process.send_signal(signal.SIGKILL)
    process.communicate()
    result = aloft("terminate", "orphan", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "orphan terminated\n"
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="orphan"))
    assert snapshot.execution.phase is ExecutionPhase.ABORTED
    assert {a.phase for a in snapshot.attempts.values()} == {NodePhase.ABORTED}
    assert not pid_alive(worker) or gone_within(worker, 2.0)


def test_durable_runs_are_listed_named_and_refuse_a_name_in_use(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    first = aloft(
        "run", "--durable", "--name", "twice", "--db", db, str(FIXTURE), "double_twice", "--x", "5"
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == "20\n"
    assert "execution twice" in first.stderr
    again = aloft(
        "run", "--durable", "--name", "twice", "--db", db, str(FIXTURE), "double_twice", "--x", "6"
    )
    assert again.returncode == 2
    assert "an execution named 'twice' already exists" in again.stderr
    generated = aloft("run", "--durable", "--db", db, str(FIXTURE), "double_twice", "--x", "1")
    assert generated.returncode == 0 and generated.stdout == "4\n"
    name = generated.stderr.split()[1]
    assert name.startswith("double_twice-")
    listing = aloft("executions", "list", "--db", db)
    assert listing.returncode == 0
    assert "twice" in listing.stdout and name in listing.stdout
    assert listing.stdout.count("succeeded") == 2
    resumed = aloft("resume", "twice", "--db", db)
    assert resumed.returncode == 0 and resumed.stdout == "20\n"
    missing = aloft("resume", "nobody", "--db", db)
    assert missing.returncode == 2 and "no execution" in missing.stderr
