"""The local runner: compiler + engine + inline executor behind a function call."""

from aloft.runner.local import LocalExecution, execute, input_literals, run_locally

__all__ = ["LocalExecution", "execute", "input_literals", "run_locally"]
