"""Bad input to the server and remote commands, with no server to talk to: one line on
stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NOBODY = "http://127.0.0.1:9"  # the discard port: nothing listens there
HELLO = "examples/hello.py"


def aloft(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aloft", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (["serve", "--db", "nonsense"], {}, 2, "error: not a database URL: 'nonsense'"),
        (["serve", "--port", "70000"], {}, 2, "70000 is not in the range"),
        (["serve", "--workers", "-1"], {}, 2, "-1 is not in the range"),
        (["serve"], {"ALOFT_SERVER_PORT": "http"}, 2, "ALOFT_SERVER_PORT must be a port number"),
        (["get", "executions"], {"ALOFT_REMOTE": "ftp://x"}, 2, "must be an http(s) URL"),
        (["get", "executions", "--remote", NOBODY], {}, 1, "cannot reach the aloft server at"),
        (["get", "execution", "x", "--remote", NOBODY], {}, 1, "cannot reach the aloft server"),
        (["register", "no/such/folder", "--remote", NOBODY], {}, 2, "no such file or folder"),
        (["register", "README.md", "--remote", NOBODY], {}, 2, "README.md: not a Python file"),
        (["signal", "set", "x", "go", "true", "--remote", NOBODY], {}, 1, "cannot reach"),
        (["run", "--remote", NOBODY, "--durable", HELLO, "hello_wf"], {}, 2, "drop --durable"),
        (["run", "--wait", HELLO, "hello_wf"], {}, 2, "only apply to --remote runs"),
        (["run", "--remote", NOBODY, HELLO, "hello_wf", "--nme", "x"], {}, 2, "no input --nme"),
    ],
)  # fmt: skip
def test_bad_remote_input_is_one_line_with_a_non_zero_exit(
    args: list[str], env: dict[str, str], code: int, message: str
) -> None:
    result = aloft(*args, env=env)
    assert result.returncode == code, result.stderr
    assert message in one_line(result)
