"""Running ``aloft serve`` as a user does, for the server tests: a real server process with
real worker processes, on a free port of 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
from durable import ROOT


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """An ``aloft serve`` process on database ``db`` and the store under ``home``, in a
    process group of its own (so the whole group can be killed)."""

    def __init__(self, db: str, home: Path, workers: int = 2) -> None:
        self.db = db
        self.home = home
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.log: IO[str] | None = None

    def start(self) -> Server:
        """Start it and wait until it answers."""
        env = {**os.environ, "ALOFT_HOME": str(self.home)}
        self._close_log()
        self.log = open(self.home / f"server-{time.monotonic_ns()}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "aloft", "serve", "--db", self.db,
                "--store", str(self.home / "store"), "--workers", str(self.workers),
                "--port", str(self.port), "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        raise AssertionError("the server did not answer within 60 s")

    def kill_group(self) -> None:
        """SIGKILL the server's whole process group, as a crash would."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._close_log()

    def stop(self) -> int:
        """SIGTERM the server and wait for it to exit; its exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill_group()
        self._close_log()
        return self.process.returncode

    def _close_log(self) -> None:
        if self.log is not None:
            self.log.close()
            self.log = None


@contextlib.contextmanager
def serving(db: str, home: Path, workers: int = 2) -> Iterator[Server]:
    """A started server, stopped at the end."""
    home.mkdir(parents=True, exist_ok=True)
    server = Server(db, home, workers).start()
    try:
        yield server
    finally:
        server.stop()
