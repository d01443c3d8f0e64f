"""An eager workflow's process SIGKILLed halfway and resumed re-runs only the calls that had
not completed: its body is replayed over the recorded calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft_process, kill_when, opened, wait_for_file

from aloft.ir import ExecutionId, NodeKey, NodePhase

FIXTURE = ROOT / "tests" / "fixtures" / "durable_eager.py"

pytestmark = pytest.mark.integration


def test_a_killed_eager_workflow_resumes_without_rerunning_completed_calls(
    tmp_path: Path, db: str
) -> None:
    log, marker = tmp_path / "log", tmp_path / "pid"
    command = ["run", "--durable", "--name", "eager", "--db", db, str(FIXTURE), "steps"]
    kill_when(
        aloft_process(*command, "--log", str(log), "--marker", str(marker)),
        lambda: wait_for_file(marker),
    )  # three calls done, the fourth running
    assert log.read_text().split() == ["step0", "step1", "step2"]

    resumed = aloft_process("resume", "eager", "--db", db)
    stdout, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stderr
    assert stdout == "STEP2-left-right\n"
    lines = log.read_text().split()
    assert lines[:3] == ["step0", "step1", "step2"]  # none of them ran again
    assert sorted(lines[3:5]) == ["left", "right"] and lines[5:] == ["STEP2-left-right"]
    with opened(db) as store:
        nodes = store.load(ExecutionId(name="eager")).nodes
    calls = [key for key in nodes if key.path[:1] == ("n0",) and len(key.path) == 2]
    assert len(calls) == 7  # one child node per call, each recorded once
    assert all(nodes[key].phase is NodePhase.SUCCEEDED for key in calls)
    assert nodes[NodeKey(path=("n0",))].phase is NodePhase.SUCCEEDED
