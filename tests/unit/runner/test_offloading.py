"""Large values are stored in the blob store and passed by reference, transparently."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aloft import task, workflow
from aloft.ir import OffloadedValue, literal_hash
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context


@dataclass
class Batch:
    values: list[int]
    label: str


@task
def make_batch(n: int) -> Batch:
    return Batch(values=list(range(n)), label=f"{n} values")


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def shout(text: str) -> str:
    return text.upper()


@workflow
def batch_wf(n: int) -> tuple[int, str]:
    batch = make_batch(n=n)
    return total(values=batch.values), shout(text=batch.label)


@pytest.fixture
def small_threshold(tmp_path: Path) -> Iterator[BlobStore]:
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw", "test"), offload_threshold_bytes=200)):
        yield store


def test_a_large_output_is_offloaded_and_read_back_through_attribute_paths(
    small_threshold: BlobStore,
) -> None:
    execution = execute(batch_wf, {"n": 1000})
    assert execution.outputs() == (sum(range(1000)), "1000 VALUES")
    produced = execution.node("n0").outputs
    assert produced is not None
    offloaded = produced["o0"]
    assert isinstance(offloaded, OffloadedValue)
    assert offloaded.uri.startswith(small_threshold.root)
    assert "/executions/" in offloaded.uri and "/n0/0/raw/" in offloaded.uri
    assert small_threshold.exists(offloaded.uri)


def test_small_outputs_stay_inline(small_threshold: BlobStore) -> None:
    execution = execute(batch_wf, {"n": 3})
    produced = execution.node("n0").outputs
    assert produced is not None and not isinstance(produced["o0"], OffloadedValue)
    assert execution.outputs() == (3, "3 VALUES")


def test_the_hash_of_an_offloaded_value_is_the_hash_of_its_bytes(
    small_threshold: BlobStore,
) -> None:
    first = execute(batch_wf, {"n": 500}).node("n0").outputs
    second = execute(batch_wf, {"n": 500}).node("n0").outputs
    assert first is not None and second is not None
    assert first["o0"] != second["o0"]  # stored at two places
    assert literal_hash(first["o0"]) == literal_hash(second["o0"])
