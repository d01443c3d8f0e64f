"""Running a task's command (a shell script, a container) as a child process.

Its stdout goes where the task's goes; its stderr is copied there line by line as it comes,
so an attempt's log shows both while the command runs, and only the last lines are kept for
the error of a command that fails.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

STDERR_TAIL_LINES = 20
"""How many of a failed command's last stderr lines its error shows."""


@dataclass(frozen=True)
class Finished:
    """How a command ended: its exit code (negative: the signal that killed it) and the last
    lines it wrote to stderr."""

    returncode: int
    stderr_tail: tuple[str, ...]

    def describe(self) -> str:
        """``exited with code 3; stderr ends with: ...``."""
        code = self.returncode
        how = (
            f"was killed by {signal.Signals(-code).name}"
            if code < 0
            else f"exited with code {code}"
        )
        tail = "\n".join(self.stderr_tail).strip()
        return how + ("; stderr ends with:\n" + tail if tail else " (no stderr)")


def run_command(
    command: str | Sequence[str], *, shell: str | None = None, cwd: Path | None = None
) -> Finished:
    """Run ``command`` (a script for ``shell`` when one is given, else an argument list)
    and wait for it; ``FileNotFoundError`` if its program (or the shell) does not exist."""
    sys.stdout.flush()
    sys.stderr.flush()
    tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
    with subprocess.Popen(
        command,
        shell=shell is not None,
        executable=shell,
        cwd=cwd,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            tail.append(line.rstrip("\n"))
    return Finished(process.returncode, tuple(tail))
