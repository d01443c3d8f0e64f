"""The cache in durable runs: a second run of a cached pipeline is all hits, and two runs of a
``cache_serialize`` task started together on one database compute it once."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft, aloft_process, opened, wait_for_file

from aloft.ir import CacheStatus, ExecutionId, NodeKey

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


def test_a_second_durable_run_is_all_hits_and_runs_no_cached_body(tmp_path: Path, db: str) -> None:
    log = tmp_path / "log"
    for name in ("first", "second"):
        args = [str(FIXTURE), "pipeline", "--log", str(log), "--n", "3"]
        result = aloft("run", "--durable", "--name", name, "--db", db, *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "5\n"
    assert sorted(log.read_text().splitlines()) == ["load", "square 0", "square 1", "square 2"]
    with opened(db) as store:
        nodes = store.load(ExecutionId(name="second")).nodes
    statuses = [nodes[NodeKey(path=(n,))].cache_status for n in ("n0", "n1", "n2")]
    assert statuses == [CacheStatus.HIT, CacheStatus.HIT, CacheStatus.DISABLED]
