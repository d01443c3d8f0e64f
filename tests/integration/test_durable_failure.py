"""An on_failure handler killed while it runs resumes after a restart; the failed task does
not run again, and the execution ends FAILED with the task's error."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft_process, kill_when, opened, wait_for_file

from aloft.ir import ExecutionId, ExecutionPhase, NodeKey, NodePhase

FIXTURE = ROOT / "tests" / "fixtures" / "durable_failure.py"

pytestmark = pytest.mark.integration


def test_a_killed_failure_handler_runs_on_after_a_restart(tmp_path: Path, db: str) -> None:
    log, marker = tmp_path / "log", tmp_path / "pid"
    command = ["run", "--durable", "--name", "guarded", "--db", db, str(FIXTURE), "guarded"]
    kill_when(
        aloft_process(*command, "--log", str(log), "--marker", str(marker)),
        lambda: wait_for_file(marker),
    )

    resumed = aloft_process("resume", "guarded", "--db", db)
    _, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 1
    assert "ValueError: the data is bad" in stderr
    assert log.read_text().split("\n")[:2] == ["boom", "cleaned n0"]
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="guarded"))
    assert snapshot.execution.phase is ExecutionPhase.FAILED
    assert snapshot.nodes[NodeKey(path=("on-failure",))].phase is NodePhase.SUCCEEDED
