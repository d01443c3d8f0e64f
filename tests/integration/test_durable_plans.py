"""A launch plan called in a durable run: its child execution is stored apart, linked to the
calling node, and a killed run resumes both without re-running what either recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft_process, kill_when, opened, wait_for_file

from aloft.ir import ExecutionId, ExecutionPhase, NodeKey

FIXTURE = ROOT / "tests" / "fixtures" / "durable_plans.py"

pytestmark = pytest.mark.integration


def test_a_killed_parent_resumes_its_child_execution_without_rerunning_recorded_tasks(
    tmp_path: Path, db: str
) -> None:
    log, marker = tmp_path / "log", tmp_path / "pid"
    command = ["run", "--durable", "--name", "caller", "--db", db, str(FIXTURE), "parent_wf"]
    kill_when(
        aloft_process(*command, "--log", str(log), "--marker", str(marker)),
        lambda: wait_for_file(marker),
    )  # the child's task is running

    resumed = aloft_process("resume", "caller", "--db", db)
    stdout, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stderr
    assert stdout == "CHILD-parent\n"
    assert sorted(log.read_text().split()) == ["child", "parent"]  # each ran once
    with opened(db) as store:
        node = store.load(ExecutionId(name="caller")).nodes[NodeKey(path=("n1",))]
        assert node.child is not None
        child_spec = store.spec(node.child)
        child = store.record(node.child)
    assert child.phase is ExecutionPhase.SUCCEEDED
    assert child_spec.parent is not None and child_spec.parent.execution.name == "caller"
    assert child_spec.launch_plan is not None and child_spec.launch_plan.name == "shout"
