"""The ``aloft`` entry point starts the worker pool's fork server early only for commands that
run tasks on this machine."""

from __future__ import annotations

import pytest

from aloft.cli.entry import runs_tasks_here
from aloft.executors.fork_server import WORKER_MODULE
from aloft.runtime.pool_worker import serve


@pytest.mark.parametrize(
    ("args", "local"),
    [
        (["run", "flows.py", "wf"], True),
        (["run", "--durable", "flows.py", "wf", "--x", "1"], True),
        (["run", "flows.py"], False),  # lists what the file defines
        (["run", "--remote", "flows.py", "wf"], False),
        (["run", "--remote=http://127.0.0.1:8420", "flows.py", "wf"], False),
        (["run", "flows.py", "wf", "--help"], False),
        (["serve", "--port", "8420"], False),
        ([], False),
    ],
)
def test_only_a_local_run_starts_the_fork_server_early(args: list[str], local: bool) -> None:
    assert runs_tasks_here(args) is local


def test_the_fork_server_imports_the_module_workers_run() -> None:
    assert serve.__module__ == WORKER_MODULE
