"""Running ``aloft`` as a user does, in a process of its own, for the command-line tests."""

from __future__ import annotations

import json
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


_DRIVER = """
import contextlib, io, json, sys, traceback
from aloft.cli.main import main

outcomes = []
for args in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except BaseException:
            traceback.print_exc()
            code = -1
    outcomes.append({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
json.dump(outcomes, sys.__stdout__)
"""


def aloft_many(cases: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """``aloft ARGS`` for each of ``cases``, one after another in one process (what the
    ``aloft`` command runs, called in-process: one start-up for all)."""
    driver = subprocess.run(
        [sys.executable, "-c", _DRIVER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        input=json.dumps(cases),
    )
    return [
        subprocess.CompletedProcess(args, o["code"], o["stdout"], o["stderr"])
        for args, o in zip(cases, json.loads(driver.stdout), strict=True)
    ]
