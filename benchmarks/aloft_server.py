"""An ``aloft serve`` on 127.0.0.1 for the ``aloft-server`` system: aloft's control plane
(REST API, engine host and a warm pool of worker processes in one process tree) on a SQLite
database, started once before the timed runs and stopped at the end, as the Prefect server is
(``benchmarks/prefect_server.py``).

Everything it keeps is in one folder of the runner's state (wiped at each invocation): its
SQLite file, its blob store, its own ``ALOFT_HOME``, ``HOME`` and ``TMPDIR``, and its log. Its
CPU time is read from /proc around each run (the server, its worker processes and whatever
else descends from it) and reported apart from the client's. Workloads find it through
``ALOFT_REMOTE`` (the URL the remote client reads) and ``ALOFT_BENCH_SERVER_DB`` (its database,
for the listing workload, which fills it before timing a page).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import keep_child
from benchmarks.servers import free_port, process_tree_cpu_s
from benchmarks.systems import System

WORKERS = 2
_CLEARED = ("ALOFT_DB", "ALOFT_STORE", "ALOFT_WORKERS", "ALOFT_REMOTE", "ALOFT_CONFIG")
_CLEARED += ("ALOFT_SERVER_HOST", "ALOFT_SERVER_PORT")


@dataclass
class AloftServer:
    """A running ``aloft serve`` owned by the runner."""

    process: subprocess.Popen[bytes]
    url: str
    database: str
    startup_s: float
    log_path: Path
    workers: int = WORKERS
    cpu_at_start_s: float = field(default=0.0)
    returncode: int | None = None

    def cpu_s(self) -> float:
        """CPU seconds used so far by the server process and its descendants (the workers)."""
        return process_tree_cpu_s(self.process.pid)

    def client_env(self) -> dict[str, str]:
        """Where the workloads find this server (its URL) and its database."""
        return {"ALOFT_REMOTE": self.url, "ALOFT_BENCH_SERVER_DB": self.database}

    def stop(self) -> float:
        """Stop the server as an operator would (SIGTERM: it stops its engine and workers and
        gives up its leases), SIGKILL to its process group after 30 s; returns its total CPU
        seconds."""
        total = self.cpu_s()
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        # Whatever is left of its group (a worker that outlived it) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.returncode = self.process.returncode
        return total


def start_aloft_server(
    system: System, home: Path, workers: int = WORKERS, timeout_s: float = 120.0
) -> AloftServer:
    """Start ``aloft serve`` on a SQLite file in ``home`` with ``workers`` worker processes on
    a free loopback port, and wait until ``/healthz`` answers 200."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "tmp").mkdir(exist_ok=True)
    port = free_port()
    env = system.environment(home / "tmp")
    for variable in _CLEARED:
        env.pop(variable, None)
    env.update(HOME=str(home), ALOFT_HOME=str(home / "aloft-home"))
    database = f"sqlite:///{home / 'aloft.db'}"
    log_path = home / "server.log"
    argv = [str(system.executable("aloft")), "serve", "--db", database]
    argv += ["--store", str(home / "store"), "--workers", str(workers)]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    start = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    keep_child(process.pid)
    url = f"http://127.0.0.1:{port}"
    server = AloftServer(process, url, database, 0.0, log_path, workers)
    while time.perf_counter() - start < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"aloft serve exited with {process.returncode} at startup")
        if _healthy(url):
            server.startup_s = time.perf_counter() - start
            server.cpu_at_start_s = server.cpu_s()
            return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"aloft serve not healthy after {timeout_s:.0f} s")


def _healthy(url: str) -> bool:
    """Whether the server at ``url`` (loopback) answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False
