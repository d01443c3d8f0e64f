"""Bad input to the server and remote commands, with no server to talk to: one line on
stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest
from cli_process import aloft, error_line

NOBODY = "http://127.0.0.1:9"  # the discard port: nothing listens there
HELLO = "examples/hello.py"


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
    assert message in error_line(result)
