"""Hostile input to ``aloft run``, each answered with one line and the right exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import ROOT, aloft, error_line

HOSTILE = str(ROOT / "tests" / "fixtures" / "hostile.py")


def test_an_exception_whose_message_fails_is_named_and_not_retried() -> None:
    result = aloft("run", HOSTILE, "unprintable_wf")
    assert result.returncode == 1
    line = error_line(result)
    assert "failed: Unprintable: (its message could not be shown: RuntimeError" in line
    assert "attempts" not in line  # a user failure: tried once


def test_an_attempt_whose_outputs_fail_to_convert_leaves_no_blob_behind(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = aloft("run", HOSTILE, "half_converted_wf", env={"ALOFT_STORE": str(store)})
    assert result.returncode == 1
    assert "not an int" in error_line(result)
    left = [p for p in store.rglob("*") if p.is_file()] if store.exists() else []
    assert left == []


def test_a_huge_error_message_is_cut_on_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "loud.py").write_text(
        "from aloft import task, workflow\n\n\n@task\ndef t() -> int:\n"
        "    raise ValueError('x' * 2_000_000)\n\n\n@workflow\ndef wf() -> int:\n"
        "    return t()\n"
    )
    result = aloft("run", str(tmp_path / "loud.py"), "wf")
    assert result.returncode == 1
    line = error_line(result)
    assert len(line) < 2200
    assert "more characters, kept in the execution's record]" in line


def test_values_too_large_for_a_command_line_come_from_a_file_or_stdin(tmp_path: Path) -> None:
    large = "x" * 300_000  # over the 128 KiB a single argument may be
    (tmp_path / "text.txt").write_text(large)
    from_file = aloft("run", HOSTILE, "echo_wf", "--text", f"@{tmp_path / 'text.txt'}")
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout.strip() == large
    from_stdin = aloft("run", HOSTILE, "echo_wf", "--text", "-", "--flag", stdin="abc")
    assert from_stdin.stdout.strip() == "ABC"
    literal = aloft("run", HOSTILE, "echo_wf", "--text", "@@home")
    assert literal.stdout.strip() == "@home"


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("sys.exit(0)", "called sys.exit(0)"),
        ("KeyboardInterrupt", "raised KeyboardInterrupt"),
        ("os._exit(3)", "worker process exited with code 3 while running the task"),
        ("abort", "worker process died of SIGABRT (signal 6)"),
        ("segfault", "worker process died of SIGSEGV (signal 11)"),
    ],
)
def test_a_task_that_ends_its_process_fails_the_run_naming_how(how: str, message: str) -> None:
    result = aloft("run", HOSTILE, "leave_wf", "--how", how)
    assert result.returncode == 1
    line = error_line(result)
    assert line.startswith("error: task hostile.leave (node n0) failed: ")
    assert message in line
    assert "attempts" not in line  # retries=0: tried once


def test_a_crashed_task_is_retried_under_its_retries(tmp_path: Path) -> None:
    result = aloft("run", HOSTILE, "crash_once_wf", "--marker", str(tmp_path / "crashed"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
