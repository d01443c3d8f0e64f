"""A ``prefect server start`` on 127.0.0.1 for the ``prefect-server`` system.

Started once before the timed runs and stopped at the end; its CPU time is read from /proc
(the server and its descendants) around each run and reported apart from the client's
(``benchmarks/servers.py``). Workloads find it through ``PREFECT_API_URL``.
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
from benchmarks.systems import System, prefect_settings


@dataclass
class PrefectServer:
    """A running Prefect server owned by the runner."""

    process: subprocess.Popen[bytes]
    url: str
    startup_s: float
    log_path: Path
    cpu_at_start_s: float = field(default=0.0)

    def cpu_s(self) -> float:
        """CPU seconds used so far by the server process and its descendants."""
        return process_tree_cpu_s(self.process.pid)

    def client_env(self) -> dict[str, str]:
        """Where the workloads' Prefect client finds this server."""
        return {"PREFECT_API_URL": self.url}

    def stop(self) -> float:
        """Stop the server (SIGINT, then SIGKILL after 20 s); returns its total CPU seconds."""
        total = self.cpu_s()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        return total


def start_prefect_server(system: System, home: Path, timeout_s: float = 120.0) -> PrefectServer:
    """Start ``prefect server start`` on a free loopback port and wait until it is healthy."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = system.environment(home)
    env.update(prefect_settings(home / "server-home"))
    env["HOME"] = str(home)
    log_path = home / "server.log"
    argv = [str(system.executable("prefect")), "server", "start", "--host", "127.0.0.1"]
    argv += ["--port", str(port)]
    start = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    keep_child(process.pid)
    url = f"http://127.0.0.1:{port}/api"
    server = PrefectServer(process, url, 0.0, log_path)
    while time.perf_counter() - start < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with {process.returncode} at startup")
        if _healthy(url):
            server.startup_s = time.perf_counter() - start
            server.cpu_at_start_s = server.cpu_s()
            return server
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"prefect server not healthy after {timeout_s:.0f} s")


def _healthy(url: str) -> bool:
    """Whether the server at ``url`` (loopback) answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False
