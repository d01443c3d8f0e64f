"""The command-line table: every kind of input given bad values, and every class of bad
input the README names, each answered with one line naming what is wrong and the exit code
it promises (2 for bad input, code or configuration, 1 for a failed run), never a traceback.

The cases that need no environment of their own run one after another in one process
(``aloft_many``): a start-up of ``aloft`` costs about a quarter of a second, the table has
dozens of rows. Settings come from the environment, so those cases get a process each.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_process import ROOT, aloft, aloft_many, error_line

EVERY = "tests/fixtures/every_input.py"
HOSTILE = "tests/fixtures/hostile.py"
BAD_CSV = ROOT / "tests" / "fixtures" / "malformed.csv"

BAD_VALUES = [  # input, value, what the message says besides the input's name
    ("n", "abc", "expected int, got 'abc'"),
    ("n", "1.5", "expected int, got '1.5'"),
    ("n", "99999999999999999999", "outside the 64-bit range"),
    ("ratio", "abc", "expected float, got 'abc'"),
    ("flag", "maybe", "expected bool, got 'maybe'"),
    ("day", "2024-13-01", "expected date"),
    ("day", "2024-01-01T10:00:00", "expected date"),
    ("at", "now", "expected datetime"),
    ("at", "2024-01-01T25:00:00", "expected datetime"),
    ("span", "forever", "expected timedelta"),
    ("span", "99999999999d", "too long: a timedelta is at most"),
    ("color", "PURPLE", "expected Color"),
    ("values", '[1, "a"]', "item 1: expected int"),
    ("values", "not json", "expected list[int]"),
    ("values", "{}", "expected list[int]"),
    ("mapping", "[1]", "expected dict[str, float]"),
    ("mapping", '{"a": "x"}', "expected float"),
    ("point", '{"x": 1}', "'y'"),
    ("point", '{"x": "a", "y": 1}', "expected int"),
    ("point", '{"x": 1, "y": 2, "z": 3}', "'z'"),
    ("settings", '{"level": 2}', "name"),
    ("settings", '{"name": "a", "level": "high"}', "level"),
    ("maybe", "abc", "expected int, got 'abc'"),
    ("either", "abc", "expected Union[int, list[int]]"),
    ("file", "/no/such/file", "file /no/such/file does not exist"),
    ("file", "nope://bucket/x.txt", "Protocol not known: nope"),
    ("folder", "/no/such/folder", "folder /no/such/folder does not exist"),
    ("folder", "README.md", "is a file, not a folder"),
    ("frame", "/no/such/table.csv", "/no/such/table.csv"),
    ("frame", "nope://bucket/x.csv", "Protocol not known: nope"),
    ("frame", str(BAD_CSV), "as a csv table: ParserError"),
    ("array", "[[1, 2], [3]]", "the rows of an array must have the same length"),
    ("array", "abc", "give a .npy file or a JSON list"),
    ("opaque", "x", "values of a pickled type cannot be given on the command line"),
    ("text", "@/no/such/file", "cannot read /no/such/file"),
]

BAD_COMMANDS = {  # what is wrong: (arguments, what the message says)
    "an input given twice": (["--n", "1", "--n", "2"], "input --n is given twice"),
    "an unknown input": (["--nn", "1"], "has no input --nn; did you mean '--n'?"),
    "an input without its value": (["--n"], "input --n (int) needs a value"),
    "a stray argument": (["stray"], "unexpected argument 'stray'"),
    "a missing input": ([], "missing input 'n' (int)"),
}

BAD_FILES = {  # what is wrong: (arguments after run, what the message says)
    "an unknown workflow": ([EVERY, "nope_wf"], "defines no task or workflow 'nope_wf'"),
    "no such file": (["no/such.py", "wf"], "no/such.py: no such file"),
    "a folder given as the file": (["tests/fixtures", "wf"], "is a folder"),
    "not a Python file": (["README.md", "wf"], "README.md: not a Python file"),
    "a durable option without --durable": (
        ["--name", "x", EVERY, "every_wf"],
        "--name and --db only apply to --durable runs",
    ),
}


def _every(*args: str) -> list[str]:
    return ["run", EVERY, "every_wf", *args]


CASES = {
    **{f"--{name} {value}": _every(f"--{name}", value) for name, value, _ in BAD_VALUES},
    **{case: _every(*args) for case, (args, _) in BAD_COMMANDS.items()},
    **{case: ["run", *args] for case, (args, _) in BAD_FILES.items()},
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every case of ``CASES``, run in one process."""
    return dict(zip(CASES, aloft_many(list(CASES.values())), strict=True))


@pytest.mark.parametrize(
    ("name", "value", "message"), BAD_VALUES, ids=[f"--{n} {v}" for n, v, _ in BAD_VALUES]
)
def test_a_bad_value_names_the_input(
    outcomes: dict[str, subprocess.CompletedProcess[str]], name: str, value: str, message: str
) -> None:
    result = outcomes[f"--{name} {value}"]
    assert result.returncode == 2, result.stderr
    line = error_line(result)
    assert f"input --{name}" in line or f"input {name!r}" in line, line
    assert message in line, line


@pytest.mark.parametrize("case", list(BAD_COMMANDS) + list(BAD_FILES))
def test_a_bad_command_says_what_is_wrong(
    outcomes: dict[str, subprocess.CompletedProcess[str]], case: str
) -> None:
    message = {**BAD_COMMANDS, **BAD_FILES}[case][1]
    result = outcomes[case]
    assert result.returncode == 2, result.stderr
    assert message in error_line(result)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALOFT_CONFIG": "/no/such/config.toml"}, "ALOFT_CONFIG names /no/such/config.toml"),
        ({"ALOFT_STORE": "nope://bucket/aloft"}, "ALOFT_STORE is 'nope://bucket/aloft'"),
        ({"ALOFT_STORE": "README.md/store"}, "is a file, not a folder"),
        ({"ALOFT_WORKERS": "none"}, "ALOFT_WORKERS must be a positive integer, got 'none'"),
    ],
    ids=["ALOFT_CONFIG", "ALOFT_STORE protocol", "ALOFT_STORE file", "ALOFT_WORKERS"],
)
def test_a_bad_setting_names_the_setting(env: dict[str, str], message: str) -> None:
    result = aloft("run", HOSTILE, "write_file_wf", env=env)
    assert result.returncode == 2, result.stderr
    assert message in error_line(result)


def test_a_file_named_like_a_standard_library_module_says_so(tmp_path: Path) -> None:
    (tmp_path / "types.py").write_text("from aloft import task\n")
    result = aloft("run", str(tmp_path / "types.py"), "wf")
    assert result.returncode == 2
    assert "named like the standard library module 'types'" in error_line(result)


def test_a_failed_run_exits_1_naming_the_task_and_its_error() -> None:
    result = aloft("run", "tests/fixtures/failing.py", "broken_wf", "--x", "3")
    assert result.returncode == 1
    assert error_line(result).startswith(
        "error: task failing.broken (node n0) failed: ValueError: cannot handle 3"
    )
