"""Finding a container engine that can run images here: docker, else podman.

A client on the PATH is not enough: docker's client without a daemon it can reach cannot run
anything, so each candidate is asked for its engine's version first, and the error names
what was looked for and why each one cannot be used.
"""

from __future__ import annotations

import shutil
import subprocess

from aloft.errors import UserError

CANDIDATES = ("docker", "podman")
"""The engines looked for, in order."""

PROBE_TIMEOUT = 15.0
"""Seconds an engine has to answer ``info``."""


class NoContainerEngine(UserError):
    """Neither docker nor podman can run a container on this machine."""


def find_engine(purpose: str) -> str:
    """The path of the first usable engine; ``NoContainerEngine`` saying, for each one, why
    it cannot be used. ``purpose`` says what needs it."""
    reasons = []
    for name in CANDIDATES:
        path = shutil.which(name)
        if path is None:
            reasons.append(f"{name}: not found on PATH")
            continue
        problem = _probe(path)
        if problem is None:
            return path
        reasons.append(f"{name} ({path}): {problem}")
    raise NoContainerEngine(
        f"{purpose} needs docker or podman to run its container, and neither is usable here: "
        + "; ".join(reasons)
    )


def _probe(path: str) -> str | None:
    """Why the engine at ``path`` cannot run containers, or None if it can."""
    try:
        answer = subprocess.run(
            [path, "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"its engine did not answer within {PROBE_TIMEOUT:.0f}s"
    except OSError as exc:
        return f"cannot be started: {exc}"
    if answer.returncode == 0:
        return None
    lines = [line.strip() for line in answer.stderr.splitlines() if line.strip()]
    detail = lines[-1] if lines else f"exit code {answer.returncode}"
    return f"cannot reach its engine ({detail})"
