"""Bad input to the durable-run commands: one line on stderr, exit 2, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import aloft


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--db", "nonsense"], {}, "error: not a database URL: 'nonsense'"),
        (["--db", "mysql://h/db"], {}, "error: not a SQLite file or PostgreSQL URL: mysql://h/db"),
        (
            ["--db", "postgresql://nobody@127.0.0.1:1/x"],
            {},
            "error: cannot open the database postgresql://nobody@127.0.0.1:1/x: connection",
        ),
        (["--db", "sqlite:////proc/none/x.db"], {}, "error: cannot create the database"),
        (["--name", "bad name!"], {}, "error: execution name 'bad name!' is not valid"),
        ([], {"ALOFT_WORKERS": "0"}, "error: ALOFT_WORKERS must be a positive integer, got '0'"),
        ([], {"ALOFT_DB": "nonsense"}, "error: not a database URL: 'nonsense'"),
    ],
)
def test_bad_durable_settings_are_one_line_and_store_nothing(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    env = {"ALOFT_HOME": str(tmp_path), **env}
    result = aloft("run", "--durable", *args, "examples/hello.py", "hello_wf", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    listing = aloft("executions", "list", env={"ALOFT_HOME": str(tmp_path)})
    assert listing.stdout == "no executions\n"


def test_run_options_need_durable_and_commands_need_known_names(tmp_path: Path) -> None:
    env = {"ALOFT_HOME": str(tmp_path)}
    for args, message in [
        (["run", "--name", "x", "examples/hello.py", "hello_wf"], "only apply to --durable"),
        (["run", "--db", "sqlite:///x.db", "examples/hello.py", "hello_wf"], "--durable"),
        (["resume", "ghost"], "error: no execution default/development/ghost"),
        (["terminate", "ghost"], "error: no execution default/development/ghost"),
        (["resume"], "error: Missing argument 'NAME'"),
        (["executions", "list", "--phase", "done"], "error: Invalid value for '--phase'"),
    ]:
        result = aloft(*args, env=env)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
