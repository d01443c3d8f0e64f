"""Checkpoints in local runs: a retry resumes from what an earlier attempt saved."""

from __future__ import annotations

import importlib
import io
import sys
from pathlib import Path
from typing import Any

import pytest

from aloft import (
    Checkpoint,
    FlyteRecoverableException,
    current_context,
    map_task,
    task,
    workflow,
)
from aloft.runner import execute
from aloft.sdk.checkpoint import CheckpointTooLargeError
from aloft.storage import BlobStore, current_data_context, store_for
from aloft.storage.layout import attempt_prefix

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
tasks: Any = importlib.import_module("tests.fixtures.runtime_tasks")


def test_a_retry_resumes_from_the_checkpoint_of_the_failed_attempt() -> None:
    execution = execute(tasks.counting, {"n": 6, "fail_at": 3})
    assert execution.outputs() == [0, 1, 2, 3, 4, 5], execution.error_message()
    node = execution.node("n0")
    assert (node.attempt, node.user_failures) == (1, 1)


def test_the_failed_attempts_checkpoint_outlives_its_cleanup() -> None:
    execution = execute(tasks.counting, {"n": 4, "fail_at": 1})
    assert execution.outputs() == [0, 1, 2, 3]
    first = _attempt_folder(execution, 0)
    assert store_for(first).read_bytes(f"{first}/checkpoints/_dst_cp") == b"0,1"
    assert not store_for(first).exists(f"{first}/raw")  # what the failure offloaded is gone


@task(retries=3)
def resume_from_latest(marker: str) -> str:
    """Attempt 0 saves, attempt 1 fails without saving, attempt 2 reads attempt 0's."""
    context = current_context()
    if context.attempt == 0:
        context.checkpoint.write(b"from attempt 0")
    if context.attempt < 2:
        raise FlyteRecoverableException(f"attempt {context.attempt} fails")
    data = context.checkpoint.read()
    return data.decode() if data else "nothing"


def test_a_retry_finds_the_latest_checkpoint_even_past_attempts_that_saved_none() -> None:
    assert resume_from_latest(marker="") == "from attempt 0"


@task
def first_attempt_sees_nothing() -> tuple[bool, bool, bool]:
    checkpoint = current_context().checkpoint
    return checkpoint.prev_exists(), checkpoint.read() is None, checkpoint.restore() is None


def test_a_first_attempt_has_no_previous_checkpoint() -> None:
    assert first_attempt_sees_nothing() == (False, True, True)


def test_save_restore_read_dir_and_write_dir(tmp_path: Path) -> None:
    store = BlobStore(str(tmp_path / "store"))
    first = Checkpoint(store.uri("a", "0", "checkpoints"), max_bytes=1000)
    state = tmp_path / "state"
    (state / "nested").mkdir(parents=True)
    (state / "weights.bin").write_bytes(b"w" * 10)
    (state / "nested" / "step.txt").write_text("7")
    first.write_dir(state)
    single = tmp_path / "single.txt"
    single.write_text("extra")
    first.save(single)

    second = Checkpoint(store.uri("a", "1", "checkpoints"), [first.destination], max_bytes=1000)
    assert second.prev_exists()
    restored = second.read_dir(tmp_path / "restored")
    assert restored is not None and restored == tmp_path / "restored"
    assert sorted(
        p.relative_to(restored).as_posix() for p in restored.rglob("*") if p.is_file()
    ) == [
        "nested/step.txt",
        "single.txt",
        "weights.bin",
    ]
    with pytest.raises(ValueError, match="holds 3 files, not one: read it with read_dir"):
        second.read()

    second.save(io.BytesIO(b"from a reader"))
    third = Checkpoint(store.uri("a", "2", "checkpoints"), [second.destination, first.destination])
    assert third.read() == b"from a reader"


def test_a_checkpoint_over_the_limit_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    store = BlobStore(str(tmp_path / "store"))
    checkpoint = Checkpoint(store.uri("a", "0", "checkpoints"), max_bytes=2048)
    checkpoint.write(b"x" * 2000)
    with pytest.raises(
        CheckpointTooLargeError, match=r"would be 3\.0 KiB, over the limit of 2\.0 KiB"
    ):
        checkpoint.write(b"x" * 3072)
    assert store.read_bytes(f"{checkpoint.destination}/_dst_cp") == b"x" * 2000
    big = tmp_path / "big.bin"
    big.write_bytes(b"y" * 100)
    with pytest.raises(CheckpointTooLargeError, match="ALOFT_CHECKPOINT_MAX_BYTES"):
        checkpoint.save(big)  # added to what is saved: 2,100 bytes


@task
def save_too_much(size: int) -> int:
    current_context().checkpoint.write(b"z" * size)
    return size


@workflow
def too_much(size: int) -> int:
    return save_too_much(size=size)


def test_a_task_saving_a_checkpoint_over_the_configured_limit_fails_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALOFT_CHECKPOINT_MAX_BYTES", "1000")
    execution = execute(too_much, {"size": 5000})
    assert not execution.succeeded
    message = execution.error_message()
    assert "the checkpoint would be 4.9 KiB, over the limit of 1000 bytes" in message
    assert "ALOFT_CHECKPOINT_MAX_BYTES" in message and "Traceback" not in message
    assert not store_for(_attempt_folder(execution, 0)).exists(
        f"{_attempt_folder(execution, 0)}/checkpoints"
    )


def test_outside_a_task_there_is_no_checkpoint() -> None:
    with pytest.raises(NotImplementedError, match="only inside a running task"):
        current_context().checkpoint  # noqa: B018


def _attempt_folder(execution: Any, number: int) -> str:
    root = current_data_context().store.root
    return attempt_prefix(root, execution.spec.id, execution.node("n0").key, number)


@task
def item_with_checkpoint(x: int) -> bool:
    checkpoint = current_context().checkpoint
    checkpoint.write(str(x).encode())
    return checkpoint.prev_exists()


def test_a_map_item_saves_a_checkpoint_of_its_own_and_resumes_from_none() -> None:
    @workflow
    def mapped(xs: list[int]) -> list[bool]:
        return map_task(item_with_checkpoint)(x=xs)

    assert mapped(xs=[1, 2, 3]) == [False, False, False]
