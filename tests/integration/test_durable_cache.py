"""``cache_serialize`` across processes: two durable runs of the same cached task on the same
inputs, started together on one database, compute it once."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft_process, wait_for_file

FIXTURE = ROOT / "tests" / "fixtures" / "durable_cache.py"

pytestmark = pytest.mark.integration


def test_two_runs_at_once_compute_a_serialized_task_once(tmp_path: Path, db: str) -> None:
    log = tmp_path / "log"
    args = [str(FIXTURE), "squared", "--log", str(log), "--x", "7"]
    first = aloft_process("run", "--durable", "--db", db, *args)
    wait_for_file(log)  # the first holds the reservation and computes
    second = aloft_process("run", "--durable", "--db", db, *args)
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    assert [stdout for stdout, _ in outputs] == ["49\n", "49\n"]
    assert log.read_text().split() == ["7"]
