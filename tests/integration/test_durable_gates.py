"""Gates in durable runs: a waiting execution survives its process and takes its signals on
``aloft resume``; a gate's timeout counts from when it started waiting, across restarts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from durable import ROOT, aloft, aloft_process, kill_when, opened, wait_until_waiting

from aloft.ir import ExecutionId, NodeKey, NodePhase

FIXTURE = ROOT / "tests" / "fixtures" / "durable_gates.py"

pytestmark = pytest.mark.integration


def test_a_waiting_execution_survives_a_kill_and_resumes_with_its_signals(
    tmp_path: Path, db: str
) -> None:
    log = tmp_path / "log"
    command = ["run", "--durable", "--name", "held", "--db", db, str(FIXTURE), "held"]
    kill_when(
        aloft_process(*command, "--log", str(log)), lambda: wait_until_waiting(db, "held", "n2")
    )  # after the task: it waits for it

    resumed = aloft("resume", "held", "--db", db, "--signal", "times=3", "--signal", "go=true")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == "before before before\n"
    assert log.read_text().split() == ["before"]  # the task before the gates ran once
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="held"))
    assert snapshot.nodes[NodeKey(path=("n1",))].phase is NodePhase.SUCCEEDED
    assert set(snapshot.execution.signals) == {"times", "go"}


def test_a_gate_times_out_from_when_it_started_even_across_a_restart(
    tmp_path: Path, db: str
) -> None:
    log = tmp_path / "log"
    command = ["run", "--durable", "--name", "late", "--db", db, str(FIXTURE), "held_briefly"]
    kill_when(
        aloft_process(*command, "--log", str(log)), lambda: wait_until_waiting(db, "late", "n1")
    )
    time.sleep(2.0)

    started = time.monotonic()
    resumed = aloft("resume", "late", "--db", db)
    assert time.monotonic() - started < 10
    assert resumed.returncode == 1
    assert "gate 'times' timed out: no signal within 0:00:02" in resumed.stderr


def test_a_signal_for_no_gate_of_the_execution_is_refused_and_nothing_is_stored(
    tmp_path: Path, db: str
) -> None:
    log = tmp_path / "log"
    command = ["run", "--durable", "--name", "kept", "--db", db, str(FIXTURE), "held"]
    kill_when(
        aloft_process(*command, "--log", str(log)), lambda: wait_until_waiting(db, "kept", "n1")
    )

    refused = aloft("resume", "kept", "--db", db, "--signal", "time=3")
    assert refused.returncode == 2
    assert "no gate waits for a signal named 'time'; signals: go, times" in refused.stderr
    with opened(db) as store:
        assert store.load(ExecutionId(name="kept")).execution.signals == {}


def test_resume_gives_signals_to_an_execution_another_process_runs(tmp_path: Path, db: str) -> None:
    log = tmp_path / "log"
    command = ["run", "--durable", "--name", "live", "--db", db, str(FIXTURE), "held"]
    process = aloft_process(*command, "--log", str(log))
    wait_until_waiting(db, "live", "n2")

    given = aloft("resume", "live", "--db", db, "--signal", "times=2", "--signal", "go=true")
    assert given.returncode == 0, given.stderr
    assert given.stderr == "gave signal go, times to live, which another process runs\n"
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout == "before before\n"
