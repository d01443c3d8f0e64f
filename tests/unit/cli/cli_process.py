"""Running ``aloft`` as a user does, in a process of its own, for the command-line tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def aloft(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """``aloft ARGS`` in ``cwd`` (the repository root unless given), with ``env`` added to the
    environment."""
    return subprocess.run(
        [sys.executable, "-m", "aloft", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        input=stdin,
        env={**os.environ, **(env or {})},
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line ``result`` printed on stderr (the test fails on more, or a traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]
