"""A conditional and a dynamic run durably and killed: nothing decided or finished runs again."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft_process, kill_when, opened, wait_for_file

from aloft.ir import ExecutionId, NodeKey, NodePhase

FIXTURE = ROOT / "tests" / "fixtures" / "durable_branches.py"

pytestmark = pytest.mark.integration


def test_a_killed_conditional_resumes_in_its_case_without_rerunning_or_unskipping(
    tmp_path: Path, db: str
) -> None:
    log, marker = tmp_path / "log", tmp_path / "pid"
    command = ["run", "--durable", "--name", "signs", "--db", db, str(FIXTURE), "sign"]
    kill_when(
        aloft_process(*command, "--n", "3", "--log", str(log), "--marker", str(marker)),
        lambda: wait_for_file(marker),
    )

    resumed = aloft_process("resume", "signs", "--db", db)
    stdout, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stderr
    assert stdout == "POSITIVE\n"
    assert log.read_text().split() == ["positive"]  # ran once; the other case never ran
    with opened(db) as store:
        nodes = store.load(ExecutionId(name="signs")).nodes
    branch = nodes[NodeKey(path=("n0",))]
    assert (branch.phase, branch.branch) == (NodePhase.SUCCEEDED, 0)
    skipped = [key for key, node in nodes.items() if node.phase is NodePhase.SKIPPED]
    assert skipped == [NodeKey(path=("n0", "n3"))]


def test_a_killed_dynamic_resumes_without_building_again_or_rerunning_children(
    tmp_path: Path, db: str
) -> None:
    log, marker = tmp_path / "log", tmp_path / "pid"
    command = ["run", "--durable", "--name", "built", "--db", db, str(FIXTURE), "built"]
    kill_when(
        aloft_process(*command, "--log", str(log), "--marker", str(marker), "--steps", "4"),
        lambda: wait_for_file(marker),
    )
    assert log.read_text().split() == ["compiled", "0", "1"]

    resumed = aloft_process("resume", "built", "--db", db)
    stdout, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stderr
    assert stdout == "3\n"
    assert log.read_text().split() == ["compiled", "0", "1", "2", "3"]
