"""The task-runtime examples run as their docstrings say: checkpoints, decks, secrets."""

from __future__ import annotations

from pathlib import Path

from cli_process import aloft, error_line


def test_the_checkpoints_example_resumes_training_where_the_failed_attempt_stopped() -> None:
    result = aloft(
        "run", "examples/checkpoints.py", "training_wf", "--epochs", "6", "--fail-at", "3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "loss 0.2622 after epochs 0@0 1@0 2@0 3@0 4@1 5@1\n"


def test_the_decks_example_prints_where_its_deck_is() -> None:
    result = aloft("run", "examples/decks.py", "report_wf", "--numbers", "[3, 1, 4, 1, 5]")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2.8\n"
    [line] = [line for line in result.stderr.splitlines() if line.startswith("deck of node n0: ")]
    page = Path(line.removeprefix("deck of node n0: ")).read_text()
    assert "<h1>5 numbers</h1>" in page and ">Timeline</button>" in page


def test_the_secrets_example_reads_its_secret_and_names_it_when_it_is_missing() -> None:
    found = aloft(
        "run", "examples/task_secrets.py", "load_wf", env={"_FSEC_WAREHOUSE_PASSWORD": "hunter2"}
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.endswith("loaded orders (a 7-character password was used)\n")
    missing = aloft(
        "run", "examples/task_secrets.py", "load_wf", env={"FLYTE_SECRETS_DEFAULT_DIR": "/nowhere"}
    )
    assert missing.returncode == 1
    assert error_line(missing) == (
        "error: task task_secrets.load (node n0) failed: secret group 'warehouse' key "
        "'password' not found: looked in environment variables _FSEC_WAREHOUSE_PASSWORD and "
        "WAREHOUSE_PASSWORD and file /nowhere/warehouse/password (the folder is set by "
        "FLYTE_SECRETS_DEFAULT_DIR)"
    )
