"""The task runtime in durable runs: real `aloft run --durable` processes, worker processes
and a SQLite database. Checkpoints outlive a failed attempt and a killed worker, decks are
recorded with their attempt, and a secret's value stays out of the stored log."""

from __future__ import annotations

from pathlib import Path

import pytest
from durable import ROOT, aloft, opened

from aloft.ir import (
    CollectionValue,
    ExecutionId,
    ExecutionPhase,
    NodeKey,
    OutputsDocument,
    PickleValue,
    from_json,
)
from aloft.storage import store_for

FIXTURE = ROOT / "tests" / "fixtures" / "runtime_tasks.py"

pytestmark = pytest.mark.integration


def durable(tmp_path: Path, name: str, workflow: str, *inputs: str) -> tuple[str, str, str]:
    """Run ``workflow`` durably as execution ``name``: its database, stdout and stderr."""
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    result = aloft("run", "--durable", "--name", name, "--db", db, str(FIXTURE), workflow, *inputs)
    assert result.returncode == 0, result.stderr
    return db, result.stdout, result.stderr


def test_a_failed_attempt_resumes_from_its_checkpoint_on_worker_processes(tmp_path: Path) -> None:
    db, stdout, _ = durable(tmp_path, "counted", "counting", "--n", "5", "--fail_at", "2")
    assert stdout == "[0, 1, 2, 3, 4]\n"
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="counted"))
    [node] = snapshot.nodes.values()
    assert (node.attempt, node.user_failures, node.system_failures) == (1, 1, 0)
    first = next(a for a in snapshot.attempts.values() if a.number == 0)
    assert first.error is not None and "lost at step 2" in first.error.message


def test_a_checkpoint_outlives_a_worker_killed_mid_attempt(tmp_path: Path) -> None:
    db, stdout, _ = durable(tmp_path, "lost", "lost_worker", "--steps", "4")
    assert stdout == f"resumed at attempt 1 with total {0 + 1 + 4 + 9}\n"
    with opened(db) as store:
        snapshot = store.load(ExecutionId(name="lost"))
    [node] = snapshot.nodes.values()
    assert (node.user_failures, node.system_failures) == (0, 1)
    assert snapshot.execution.phase is ExecutionPhase.SUCCEEDED


def test_the_deck_of_a_durable_run_is_recorded_and_printed(tmp_path: Path) -> None:
    db, stdout, stderr = durable(tmp_path, "decked", "decked", "--values", "[1, 2, 3]")
    assert stdout == "6\n"
    with opened(db) as store:
        [attempt] = store.load(ExecutionId(name="decked")).attempts.values()
    assert attempt.deck_uri.endswith("/n0/0/deck.html")
    assert f"deck of node n0: {attempt.deck_uri.removeprefix('file://')}" in stderr
    page = store_for(attempt.deck_uri).read_bytes(attempt.deck_uri).decode()
    assert "<h1>3 values</h1>" in page and "from the default deck" in page


def test_a_secrets_value_is_redacted_from_the_stored_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_FSEC_VAULT_TOKEN", "hunter2-token")
    db, stdout, _ = durable(tmp_path, "secret", "secretive", "--prefix", "task")
    assert stdout == f"{len('hunter2-token')}\n"
    with opened(db) as store:
        [attempt] = store.load(ExecutionId(name="secret")).attempts.values()
    log = store_for(attempt.log_uri).read_bytes(attempt.log_uri).decode()
    assert log == "task using [redacted]\n"


def test_a_batched_list_of_pickles_crosses_worker_processes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    fixture = ROOT / "tests" / "fixtures" / "batched_tasks.py"
    result = aloft(
        "run", "--durable", "--name", "b", "--db", db, str(fixture), "batched", "--n", "10"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{sum(range(10))}\n"
    with opened(db) as store:
        node = store.load(ExecutionId(name="b")).nodes[NodeKey(path=("n0",))]
    document = from_json(store_for(node.outputs_uri).read_bytes(node.outputs_uri), OutputsDocument)
    stored = document.outputs["o0"]
    assert isinstance(stored, CollectionValue)
    assert [item.batch for item in stored.items if isinstance(item, PickleValue)] == [4, 4, 2]
