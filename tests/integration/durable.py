"""Running ``aloft`` as a user does, for the durable-run tests: real processes, real files."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from aloft.ir import ExecutionId, NodeKey, NodePhase
from aloft.storage.executions.sql import SqlStore

ROOT = Path(__file__).resolve().parents[2]


def aloft_process(*args: str, workers: int = 2) -> subprocess.Popen[str]:
    env = {**os.environ, "ALOFT_WORKERS": str(workers)}
    return subprocess.Popen(
        [sys.executable, "-m", "aloft", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def aloft(*args: str) -> subprocess.CompletedProcess[str]:
    process = aloft_process(*args)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def kill_when(process: subprocess.Popen[str], ready: Callable[[], object]) -> None:
    """Once ``ready()`` returns (a task runs, a gate waits), SIGKILL ``process`` and give its
    workers a moment to die with it."""
    ready()
    process.send_signal(signal.SIGKILL)
    process.communicate()
    time.sleep(0.2)


def wait_for_file(path: Path, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.02)
    raise AssertionError(f"{path} did not appear within {timeout}s")


def wait_for_lines(path: Path, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().split()) >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"{path} did not reach {count} lines within {timeout}s")


def gone_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while pid_alive(pid):
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def opened(db: str) -> Iterator[SqlStore]:
    store = SqlStore(db)
    try:
        yield store
    finally:
        store.close()


def succeeded_steps(db: str, name: str) -> set[str]:
    with opened(db) as store:
        nodes = store.load(ExecutionId(name=name)).nodes
    return {str(k) for k, n in nodes.items() if n.phase is NodePhase.SUCCEEDED}


def wait_until_waiting(db: str, name: str, node: str) -> None:
    """Wait until node ``node`` of execution ``name`` is WAITING (a gate)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with opened(db) as store:
                record = store.load(ExecutionId(name=name)).nodes.get(NodeKey(path=(node,)))
        except Exception:  # not stored yet
            record = None
        if record is not None and record.phase is NodePhase.WAITING:
            return
        time.sleep(0.05)
    raise AssertionError(f"node {node} of {name} never started waiting")
