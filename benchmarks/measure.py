"""Run one process and measure it: wall time, CPU time of it and its children, peak memory.

The child is reaped with ``os.wait4``, whose resource usage covers the process and every
descendant it waited for, and whose ``ru_maxrss`` is that of the largest of them. The runner is
made a child subreaper (Linux), so a descendant that outlives its parent (a server the workload
started and left behind) is re-parented here, killed, reaped, and counted too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Make orphaned descendants of our children ours to reap (Linux only; best effort)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


@dataclass(frozen=True)
class Measurement:
    """One finished run."""

    wall_s: float
    cpu_s: float
    max_rss_mb: float
    returncode: int
    timed_out: bool
    stdout: str
    stderr: str
    orphans: int


def run_measured(
    argv: list[str], *, env: dict[str, str], cwd: Path, timeout_s: float, log_dir: Path
) -> Measurement:
    """Run ``argv`` to completion (killed after ``timeout_s``) and measure it.

    stdout and stderr go to files in ``log_dir`` rather than pipes, so a chatty child never
    blocks and reading them costs the child nothing.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True
        )
        timed_out = threading.Event()

        def kill_on_timeout() -> None:
            timed_out.set()
            _kill_group(process.pid)

        timer = threading.Timer(timeout_s, kill_on_timeout)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen quiet
    cpu = usage.ru_utime + usage.ru_stime
    max_rss_kb = usage.ru_maxrss
    # Whatever is left of the process group, and orphans re-parented to us: stop and count.
    _kill_group(process.pid)
    orphans = 0
    for orphan_usage in _reap_orphans():
        orphans += 1
        cpu += orphan_usage.ru_utime + orphan_usage.ru_stime
        max_rss_kb = max(max_rss_kb, orphan_usage.ru_maxrss)
    return Measurement(
        wall_s=wall,
        cpu_s=cpu,
        max_rss_mb=max_rss_kb / 1024,
        returncode=process.returncode,
        timed_out=timed_out.is_set(),
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
        orphans=orphans,
    )


def _kill_group(pgid: int) -> None:
    """SIGKILL the process group the run started (its own session); gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _reap_orphans() -> list[os.struct_rusage]:
    """Reap re-parented descendants that already exited; SIGKILL and reap any still running.

    Only processes that are our children are touched: os.wait4(-1) sees nothing else, and the
    only long-lived child the runner keeps (the Prefect server) is excluded by pid.
    """
    usages: list[os.struct_rusage] = []
    for _ in range(2):
        for pid in _child_pids():
            if pid in _KEEP:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                _, _, usage = os.wait4(pid, 0)
                usages.append(usage)
    return usages


_KEEP: set[int] = set()


def keep_child(pid: int) -> None:
    """Exclude a long-lived child of the runner (a server) from orphan reaping."""
    _KEEP.add(pid)


def _child_pids() -> list[int]:
    """Pids whose parent is this process, from /proc (empty where there is no /proc)."""
    me = os.getpid()
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == me:
                children.append(int(stat.parent.name))
    return children
