"""The main loop of a worker process of the process pool (``aloft.executors.process``).

A worker is started once and runs attempts one after another: it receives an attempt spec as
JSON over its connection, runs it with stdout and stderr captured, stores the captured output
as the attempt's log and sends the result back as JSON. While an attempt runs, a thread of the
worker publishes what it has printed so far (``aloft.runtime.live_log``).

A worker never outlives its pool. Idle, it exits when its connection reaches end of file (the
pool closed it, or the pool's process died). Busy, its watch thread, which also beats the
heartbeat (``time.monotonic()`` in shared memory, so the pool can tell a stopped or hung worker
from a busy one), notices that end of file within a beat and kills the worker's process group:
the worker and whatever its task started. On Linux the kernel also kills a worker whose parent
process (the fork server that started it) dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import signal
import socket
import sys
import threading
import time
from multiprocessing.connection import Connection

from msgspec import structs

from aloft.ir import ErrorKind, TaskAttemptResult, TaskAttemptSpec, from_json, to_json
from aloft.runtime.attempt import failed_result
from aloft.runtime.live_log import LiveLog
from aloft.runtime.output_capture import OutputCapture, PassThrough
from aloft.runtime.worker import run_attempt

HEARTBEAT_INTERVAL = 0.5
"""Seconds between two beats of a worker's heartbeat."""

_PR_SET_PDEATHSIG = 1


def worker_name(pid: int) -> str:
    """How results name the worker process ``pid`` of this machine: ``hostname:pid``."""
    return f"{socket.gethostname()}:{pid}"


def serve(
    connection: Connection, heartbeat: ctypes.c_double, log_path: str, environ: dict[str, str]
) -> None:
    """Run attempts received on ``connection`` until it reaches end of file.

    Args:
        connection: The worker's end of its pipe to the pool: specs in, results out.
        heartbeat: Shared memory the heartbeat thread writes ``time.monotonic()`` to.
        log_path: The file each attempt's stdout and stderr are captured into; the pool reads
            it when the worker dies during an attempt. Empty: nothing is captured, the
            output goes to the pool's own stdout and stderr.
        environ: The pool process's environment when it started this worker.
    """
    _die_with_parent()
    os.setpgrp()  # Ctrl-C in a terminal goes to the engine, which stops the pool
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a SIGINT sent to the worker kills it
    os.environ.clear()
    os.environ.update(environ)
    watch = threading.Thread(
        target=_watch, args=(connection, heartbeat, log_path), name="aloft-watch", daemon=True
    )
    watch.start()
    for stream in (sys.stdout, sys.stderr):  # what a task prints is in its log at once
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(line_buffering=True)
    capture = OutputCapture(log_path) if log_path else PassThrough()
    live = LiveLog(log_path)  # without a log file, it has nothing to publish
    if log_path:
        live.start_thread()
    name = worker_name(os.getpid())
    while True:
        try:
            payload = connection.recv_bytes()
        except EOFError:
            _clean_up(log_path)
            return
        spec = from_json(payload, TaskAttemptSpec)
        with capture.capturing():
            live.begin(spec)
            try:
                result = _run(spec)
            finally:
                live.end()
        log = capture.store(spec)
        connection.send_bytes(to_json(structs.replace(result, log_uri=log, worker=name)))


def _run(spec: TaskAttemptSpec) -> TaskAttemptResult:
    try:
        return run_attempt(spec)
    except Exception as exc:  # run_attempt reports the task's own failures
        message = f"the worker could not run the attempt: {type(exc).__name__}: {exc}"
        return failed_result(spec, ErrorKind.SYSTEM, message)


def _watch(connection: Connection, heartbeat: ctypes.c_double, log_path: str) -> None:
    """Beat the heartbeat; end the worker's process group once the pool's end has closed."""
    pool = socket.socket(fileno=os.dup(connection.fileno()))
    while True:
        heartbeat.value = time.monotonic()
        if _closed(pool):
            _clean_up(log_path)
            os.killpg(0, signal.SIGKILL)
        time.sleep(HEARTBEAT_INTERVAL)


def _closed(peer: socket.socket) -> bool:
    """Whether ``peer`` has reached end of file; a peek, which leaves pending data alone."""
    try:
        return peer.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False


def _clean_up(log_path: str) -> None:
    """Remove the worker's log file, and the pool's log folder if that leaves it empty: the
    pool is gone, perhaps killed before it could remove them itself."""
    with contextlib.suppress(OSError):
        os.remove(log_path)
        os.rmdir(os.path.dirname(log_path))


def _die_with_parent() -> None:
    """Have Linux kill this process when its parent dies (elsewhere, end of file does it)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
