"""The process executor with real worker processes, real signals and real deaths."""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from msgspec import structs

from aloft.executors.process import ProcessExecutor
from aloft.ir import ErrorKind, OutputsDocument, TaskAttemptResult, from_json
from aloft.storage import store_for
from aloft.storage.layout import log_uri
from aloft.types import to_python

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
tasks: Any = importlib.import_module("tests.fixtures.pool_tasks")

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="inspects /proc and signals")

MakePool = Callable[..., ProcessExecutor]


@pytest.fixture
def make_pool() -> Iterator[MakePool]:
    """Start process pools that are closed after the test."""
    pools: list[ProcessExecutor] = []

    def make(workers: int = 2, **options: Any) -> ProcessExecutor:
        pool = ProcessExecutor(workers, **options)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


def run_all(pool: ProcessExecutor, within: float = 20.0) -> list[TaskAttemptResult]:
    """Poll until nothing is in flight; fails rather than hangs."""
    results: list[TaskAttemptResult] = []
    end = time.monotonic() + within
    while pool.in_flight():
        assert time.monotonic() < end, f"still in flight: {pool.in_flight()}"
        results += pool.poll(end - time.monotonic())
    return results


def run_one(pool: ProcessExecutor, task: Any, folder: Path, **inputs: Any) -> TaskAttemptResult:
    spec = tasks.attempt(task, folder, **inputs)
    pool.submit(spec)
    [result] = run_all(pool)
    assert result.token == spec.token
    return result


def read(uri: str) -> bytes:
    return store_for(uri).read_bytes(uri)


def pid_from(path: Path, within: float = 10.0) -> int:
    """The pid a task wrote to ``path``."""
    end = time.monotonic() + within
    while not path.exists() or not path.read_text():
        assert time.monotonic() < end, f"no pid written to {path}"
        time.sleep(0.01)
    return int(path.read_text())


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is no zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while alive(pid):
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def test_success_writes_outputs_and_captures_stdout_and_stderr(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool()
    added = run_one(pool, tasks.add, tmp_path, a=2, b=3)
    assert added.error is None
    document = from_json(read(added.outputs_uri), OutputsDocument)
    assert to_python(document.outputs["o0"], int) == 5
    assert added.log_uri == ""  # nothing printed, nothing stored
    assert added.worker.startswith(f"{socket.gethostname()}:")

    chatty = run_one(pool, tasks.chatty, tmp_path, text="hello")
    assert chatty.error is None
    assert chatty.log_uri.endswith("/logs.txt")
    log = read(chatty.log_uri).decode()
    assert "out: hello" in log
    assert "err: hello" in log
    assert "raw fd write" in log


def test_a_running_attempt_publishes_what_it_printed_at_its_log_location(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(1)
    release = tmp_path / "release"
    spec = tasks.attempt(tasks.print_then_wait, tmp_path, release=str(release))
    pool.submit(spec)
    published = Path(log_uri(spec.output_prefix).removeprefix("file://"))
    end = time.monotonic() + 10
    while not published.exists():
        assert time.monotonic() < end, "nothing was published while the attempt ran"
        time.sleep(0.05)
    assert published.read_bytes() == b"first\n"  # the task waits for the release meanwhile
    release.touch()
    [result] = run_all(pool)
    assert result.log_uri == log_uri(spec.output_prefix)
    assert read(result.log_uri) == b"first\nsecond\n"


def test_exception_is_a_user_failure(make_pool: MakePool, tmp_path: Path) -> None:
    result = run_one(make_pool(), tasks.broken, tmp_path, x=4)
    assert result.error is not None
    assert result.error.kind is ErrorKind.USER
    assert "ValueError: cannot handle 4" in result.error.message


def test_sys_exit_is_a_user_failure_and_the_worker_keeps_serving(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(1)
    exited = run_one(pool, tasks.exits, tmp_path, code=3)
    assert exited.error is not None
    assert exited.error.kind is ErrorKind.USER
    assert "3" in exited.error.message
    assert run_one(pool, tasks.add, tmp_path, a=1, b=1).worker == exited.worker


def test_a_worker_that_dies_leaves_nothing_it_wrote_behind(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(1)
    died = run_one(pool, tasks.write_then_exit, tmp_path, code=3)
    assert died.error is not None and "exited with code 3" in died.error.message
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "raw" in p.parts]
    assert written == []


def test_hard_exit_is_the_tasks_retryable_failure_and_a_new_worker_takes_over(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(1)
    exited = run_one(pool, tasks.hard_exit, tmp_path, code=7)
    assert exited.error is not None
    assert exited.error.kind is ErrorKind.RECOVERABLE  # retried under the task's retries
    assert "exited with code 7" in exited.error.message
    assert read(exited.log_uri) == b"about to leave\n"  # stored for the dead worker
    after = run_one(pool, tasks.add, tmp_path, a=1, b=1)
    assert after.error is None
    assert after.worker != exited.worker


def test_a_dead_workers_log_is_stored_with_its_secrets_redacted(
    make_pool: MakePool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_FSEC_VAULT_TOKEN", "s3cr3t-value")  # the workers' environment
    pool = make_pool(1)
    died = run_one(pool, tasks.leak_then_exit, tmp_path, code=3)
    assert died.error is not None and "exited with code 3" in died.error.message
    assert read(died.log_uri) == b"token is [redacted]\n"


def test_segfault_is_the_tasks_retryable_failure_naming_the_signal(
    make_pool: MakePool, tmp_path: Path
) -> None:
    result = run_one(make_pool(1), tasks.segfault, tmp_path)
    assert result.error is not None
    assert result.error.kind is ErrorKind.RECOVERABLE
    assert "SIGSEGV (signal 11)" in result.error.message


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_worker_killed_from_outside_is_a_system_failure(
    make_pool: MakePool, tmp_path: Path, signum: signal.Signals
) -> None:
    pool = make_pool(1)
    spec = tasks.attempt(tasks.pid_then_sleep, tmp_path, path=str(tmp_path / "pid"), seconds=30)
    pool.submit(spec)
    os.kill(pid_from(tmp_path / "pid"), signum)
    [result] = run_all(pool)
    assert result.error is not None
    assert result.error.kind is ErrorKind.SYSTEM
    assert f"{signum.name} (signal {signum.value})" in result.error.message
    assert read(result.log_uri) == b"sleeping\n"
    assert run_one(pool, tasks.add, tmp_path, a=1, b=1).error is None


def test_stopped_worker_loses_its_heartbeat(make_pool: MakePool, tmp_path: Path) -> None:
    pool = make_pool(1, heartbeat_timeout=1.5)
    spec = tasks.attempt(tasks.pid_then_sleep, tmp_path, path=str(tmp_path / "pid"), seconds=30)
    pool.submit(spec)
    pid = pid_from(tmp_path / "pid")
    os.kill(pid, signal.SIGSTOP)
    started = time.monotonic()
    [result] = run_all(pool)
    assert time.monotonic() - started < 4
    assert result.error is not None
    assert result.error.kind is ErrorKind.SYSTEM
    assert "lost heartbeat" in result.error.message
    assert gone_within(pid, 2)


@pytest.mark.parametrize("deadline", [None, 1.0], ids=["task-timeout", "absolute-deadline"])
def test_a_timeout_or_deadline_stops_the_attempt(
    make_pool: MakePool, tmp_path: Path, deadline: float | None
) -> None:
    pool = make_pool(1)
    spec = tasks.attempt(
        tasks.pid_then_sleep_with_timeout,
        tmp_path,
        deadline=None if deadline is None else time.time() + deadline,
        path=str(tmp_path / "pid"),
        seconds=30,
    )
    pool.submit(spec)
    pid = pid_from(tmp_path / "pid")
    [result] = run_all(pool)
    assert result.error is not None
    assert result.error.kind is ErrorKind.TIMEOUT
    assert result.error.message == "exceeded its timeout of 1s and was stopped"
    assert gone_within(pid, 1)


def test_a_timeout_counts_from_the_start_not_from_the_wait_for_a_worker(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(1)
    busy = tasks.attempt(tasks.pid_then_sleep, tmp_path, path=str(tmp_path / "a"), seconds=1.5)
    quick = tasks.attempt(
        tasks.pid_then_sleep_with_timeout, tmp_path, path=str(tmp_path / "b"), seconds=0.1
    )
    pool.submit(busy)
    pool.submit(quick)  # waits 1.5 s for the only worker; its timeout is 1 s
    results = {r.token: r for r in run_all(pool)}
    assert results[busy.token].error is None
    assert results[quick.token].error is None, results[quick.token].error


def test_cancel_kills_a_running_attempt_and_drops_a_queued_one(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(1)
    running = tasks.attempt(tasks.pid_then_sleep, tmp_path, path=str(tmp_path / "pid"), seconds=30)
    queued = tasks.attempt(tasks.append_line, tmp_path, path=str(tmp_path / "queued"))
    pool.submit(running)
    pool.submit(queued)
    pid = pid_from(tmp_path / "pid")
    assert pool.in_flight() == {running.token, queued.token}
    assert pool.busy()

    pool.cancel(queued.token)
    assert pool.busy()
    pool.cancel(running.token)
    assert gone_within(pid, 2)
    assert read(log_uri(running.output_prefix)) == b"sleeping\n"  # what it printed is kept
    assert pool.in_flight() == set()
    assert not pool.busy()
    assert pool.poll(0.5) == []

    after = tasks.attempt(tasks.add, tmp_path, a=1, b=2)
    pool.submit(after)
    assert [result.token for result in run_all(pool)] == [after.token]
    assert not (tmp_path / "queued").exists()


def test_submit_is_idempotent_by_token(make_pool: MakePool, tmp_path: Path) -> None:
    pool = make_pool()
    spec = tasks.attempt(tasks.append_line, tmp_path, path=str(tmp_path / "lines"))
    pool.submit(spec)
    pool.submit(spec)
    assert len(run_all(pool)) == 1
    pool.submit(spec)
    assert pool.in_flight() == set()
    assert (tmp_path / "lines").read_text() == "ran\n"


def windows(pool: ProcessExecutor, task: Any, folder: Path) -> list[tuple[float, float]]:
    """Run two ``task`` attempts at once; the time windows they ran in, in start order."""
    paths = [folder / f"{task.name}-{i}" for i in range(2)]
    for path in paths:
        pool.submit(tasks.attempt(task, folder, path=str(path), seconds=0.4))
    assert all(result.error is None for result in run_all(pool))
    start_end = [tuple(map(float, path.read_text().split())) for path in paths]
    return sorted((start, end) for start, end in start_end)


def test_cpu_requests_decide_what_runs_at_once(make_pool: MakePool, tmp_path: Path) -> None:
    pool = make_pool(2)
    first, second = windows(pool, tasks.heavy_window, tmp_path)
    assert second[0] >= first[1]  # two CPUs each: one after the other
    first, second = windows(pool, tasks.window, tmp_path)
    assert second[0] < first[1]  # one CPU each: side by side


def test_requests_beyond_the_pool_or_malformed_fail_at_once(
    make_pool: MakePool, tmp_path: Path
) -> None:
    pool = make_pool(2)
    huge = tasks.attempt(tasks.huge, tmp_path)
    # IR from elsewhere than the SDK (which refuses it) may still hold a bad quantity.
    template = tasks.huge.template
    bad = structs.replace(template.requests, cpu=None, mem="lots")
    malformed = structs.replace(
        tasks.attempt(tasks.huge, tmp_path), task=structs.replace(template, requests=bad)
    )
    pool.submit(huge)
    pool.submit(malformed)
    results = {result.token: result for result in pool.poll(0)}
    assert set(results) == {huge.token, malformed.token}
    huge_error, malformed_error = results[huge.token].error, results[malformed.token].error
    assert huge_error is not None
    assert malformed_error is not None
    assert huge_error.kind is malformed_error.kind is ErrorKind.USER
    assert "64 cpu where the pool has 2" in huge_error.message
    assert "'lots'" in malformed_error.message


_ORPHAN_SCRIPT = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from aloft.executors.process import ProcessExecutor
from tests.fixtures import pool_tasks as tasks

folder = Path({folder!r})
pool = ProcessExecutor(2)
pool.submit(tasks.attempt(tasks.pid_then_sleep, folder, path=str(folder / "busy"), seconds=60))
pool.submit(tasks.attempt(tasks.pid_then_sleep, folder, path=str(folder / "idle"), seconds=0))
while not pool.poll():
    pass
print("ready", flush=True)
time.sleep(60)
"""


def test_workers_die_with_the_process_that_owns_the_pool(tmp_path: Path) -> None:
    script = _ORPHAN_SCRIPT.format(root=str(ROOT), folder=str(tmp_path))
    temp = tmp_path / "temp"
    temp.mkdir()
    owner = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline() == "ready\n"
        pids = [pid_from(tmp_path / "busy"), pid_from(tmp_path / "idle")]
        assert all(alive(pid) for pid in pids)
    finally:
        owner.kill()
        owner.wait()
        owner.stdout.close()
    assert all(gone_within(pid, 5) for pid in pids)
    assert not list(temp.glob("aloft-pool-*"))  # the workers removed the pool's log folder


_UNCLOSED_SCRIPT = """
import sys, weakref
sys.path.insert(0, {root!r})
weakref.finalize(sys, print, "finalizers registered before the pool still run")
from aloft.executors.process import ProcessExecutor

pool = ProcessExecutor(2)
"""


def test_a_pool_left_open_does_not_hold_up_interpreter_exit() -> None:
    script = _UNCLOSED_SCRIPT.format(root=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=20, check=True
    )
    assert "still run" in done.stdout
