"""The fork server that process pools start their workers from.

It is one process per interpreter (Python's ``forkserver``), which has imported the worker
runtime once; each worker is a fork of it, so a worker starts with that import done and
without the threads of the process that asked for it. Starting it costs the import
(a few hundred milliseconds), so a command that will soon need a pool can start it first
(``start_fork_server``) and let the import run while it does its own work; the pool then
finds it running.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import context, forkserver

WORKER_MODULE = "aloft.runtime.pool_worker"
"""The module every worker runs (``serve``), imported by the fork server before any fork."""


def fork_server_context() -> context.ForkServerContext:
    """The fork-server start method, with the worker runtime imported before any fork."""
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload([WORKER_MODULE])
    return server


def start_fork_server() -> None:
    """Start the fork server now, without waiting for its import; it ends with this process."""
    fork_server_context()
    forkserver.ensure_running()
