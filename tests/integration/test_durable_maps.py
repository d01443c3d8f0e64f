"""Map tasks run durably as a user runs them: real `aloft` processes, worker processes and
signals, on SQLite and PostgreSQL."""

from __future__ import annotations

import collections
import itertools
import os
import re
import signal
import time
from pathlib import Path

import pytest
from durable import ROOT, aloft, aloft_process, opened, wait_for_file, wait_for_lines

from aloft.ir import ExecutionId, NodeKey, NodePhase
from aloft.storage import store_for

FIXTURE = ROOT / "tests" / "fixtures" / "durable_maps.py"
MAP = NodeKey(path=("n1",))

pytestmark = pytest.mark.integration


def recorded_items(db: str, name: str) -> set[int]:
    """The items whose success the store holds."""
    with opened(db) as store:
        items = store.load(ExecutionId(name=name)).nodes[MAP].items
    assert items is not None
    return {i for i in range(len(items)) if items.phase(i) is NodePhase.SUCCEEDED}


def test_a_map_killed_and_resumed_runs_no_recorded_item_again(tmp_path: Path, db: str) -> None:
    log = tmp_path / "items.log"
    command = ["run", "--durable", "--name", "squares", "--db", db, str(FIXTURE), "slow_squares"]
    process = aloft_process(*command, "--log", str(log))
    wait_for_lines(log, 12)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    time.sleep(0.2)  # its workers die with it
    recorded = recorded_items(db, "squares")
    runs_then = collections.Counter(log.read_text().split())
    assert recorded, "some items had their success recorded before the kill"

    resumed = aloft_process("resume", "squares", "--db", db)
    stdout, stderr = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, stderr
    assert stdout == f"{sum(i * i for i in range(40))}\n"
    runs = collections.Counter(log.read_text().split())
    assert set(runs) == {str(i) for i in range(40)}
    for item in recorded:
        assert runs[str(item)] == runs_then[str(item)], f"item {item} ran again"


def test_a_worker_killed_mid_batch_retries_its_items_from_the_system_budget(
    tmp_path: Path, db: str
) -> None:
    marker = tmp_path / "pid"
    command = ["run", "--durable", "--name", "victim", "--db", db, str(FIXTURE)]
    process = aloft_process(*command, "survive_a_kill", "--marker", str(marker))
    os.kill(int(wait_for_file(marker)), signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout == "[100, 101, 102]\n"
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="victim"))
    items = snapshot.nodes[MAP].items
    assert items is not None
    assert (items.user_failures, items.system_failures) == ({}, {1: 1})
    # what the killed batch printed is its log, in the batch's folder, as its record says
    [lost] = [a for a in snapshot.attempts.values() if a.phase is NodePhase.FAILED]
    assert re.search(r"/n1/batch-\d+/logs\.txt$", lost.log_uri)
    log = store_for(lost.log_uri).read_bytes(lost.log_uri).decode()
    assert "item 1 waits to be killed\n" in log


def test_concurrency_one_runs_the_items_one_after_another(tmp_path: Path, db: str) -> None:
    log = tmp_path / "times.log"
    result = aloft("run", "--durable", "--db", db, str(FIXTURE), "one_at_a_time", "--log", str(log))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0, 1, 2, 3, 4, 5]\n"
    spans = sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())
    assert len(spans) == 6
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start, "two items ran at once"


def test_the_map_example_runs_durably(db: str) -> None:
    result = aloft("run", "--durable", "--db", db, "examples/map_reduce.py", "wf", "--n", "100000")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "9999900000\n"
