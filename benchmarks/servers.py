"""What the runner's long-lived servers share: a free loopback port, the CPU of a process tree,
and what a running server offers the runner (``RunningServer``).

Two systems run against a server the runner starts once before their timed runs and stops at
the end: ``prefect-server`` (``benchmarks/prefect_server.py``) and ``aloft-server``
(``benchmarks/aloft_server.py``). Around each run the runner reads the server's CPU seconds (the
server process and all its descendants, from /proc) and reports them apart from the client's.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from typing import Protocol

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class RunningServer(Protocol):
    """A server owned by the runner, as the runner uses it."""

    url: str
    startup_s: float
    cpu_at_start_s: float

    def cpu_s(self) -> float:
        """CPU seconds the server (and its descendants) used so far."""
        ...

    def client_env(self) -> dict[str, str]:
        """Environment variables telling a workload where the server is."""
        ...

    def stop(self) -> float:
        """Stop the server; its total CPU seconds."""
        ...


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def process_tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system, including reaped children) of ``root`` and descendants."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            # Fields 14-17 of stat (utime stime cutime cstime) are 11-14 after "state".
            cpu[pid] = sum(int(value) for value in fields[11:15]) / _TICKS
    tree = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return sum(cpu.get(pid, 0.0) for pid in tree)
