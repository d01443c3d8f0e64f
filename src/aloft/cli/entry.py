"""The ``aloft`` command's entry point.

A command that runs tasks on this machine (``aloft run`` without ``--remote``) needs a pool of
worker processes, whose fork server takes a few hundred milliseconds to import the worker
runtime. Started here, before the command line interface is even imported, that import runs
beside the CLI's own imports and the loading of the user's file instead of after them.
"""

from __future__ import annotations

import sys

_LOCAL_RUN_EXCLUDED = ("--remote", "--help", "-h")


def main() -> int:
    """Run the ``aloft`` command (``aloft.cli.main.main``), starting the fork server first
    when the command will run tasks here."""
    if runs_tasks_here(sys.argv[1:]):
        from aloft.executors.fork_server import start_fork_server

        start_fork_server()
    from aloft.cli.main import main as cli_main

    return cli_main()


def runs_tasks_here(args: list[str]) -> bool:
    """Whether command line ``args`` runs a workflow's tasks on this machine (a guess on
    the raw arguments: a wrong one only costs or saves the early start)."""
    return (
        len(args) >= 3
        and args[0] == "run"
        and not any(arg.split("=", 1)[0] in _LOCAL_RUN_EXCLUDED for arg in args[1:])
    )
