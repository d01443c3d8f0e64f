"""HashMethod: ``Annotated[T, HashMethod(fn)]`` gives a value the user's hash, nothing else."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import fsspec
import pytest

from aloft import task, workflow
from aloft.errors import TypeTransformerError
from aloft.ir import (
    BlobValue,
    CollectionValue,
    HashedValue,
    IntegerValue,
    SimpleKind,
    SimpleType,
    StringValue,
    literal_hash,
)
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context
from aloft.types import literal_type_of, to_literal, to_python
from aloft.types.files import FlyteFile
from aloft.types.hash_method import HashMethod


def parity(value: int) -> str:
    return "even" if value % 2 == 0 else "odd"


Parity = Annotated[int, HashMethod(parity)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BlobStore]:
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw", "test"), 1 << 20)):
        yield store


def test_the_literal_carries_the_users_hash() -> None:
    literal = to_literal(4, Parity)
    assert literal == HashedValue(value=IntegerValue(value=4), hash="even")
    assert to_python(literal, Parity) == 4
    assert to_python(literal, int) == 4  # the engine unwraps it whatever the declared type


def test_the_users_hash_decides_the_literal_hash() -> None:
    assert literal_hash(to_literal(2, Parity)) == literal_hash(to_literal(4, Parity))
    assert literal_hash(to_literal(2, Parity)) != literal_hash(to_literal(3, Parity))
    assert literal_hash(to_literal(2, int)) != literal_hash(to_literal(4, int))


def test_the_literal_type_is_the_wrapped_types() -> None:
    assert literal_type_of(Parity) == SimpleType(simple=SimpleKind.INTEGER)


def test_the_hash_is_the_string_of_what_the_function_returns() -> None:
    literal = to_literal("abc", Annotated[str, HashMethod(len)])
    assert literal == HashedValue(value=StringValue(value="abc"), hash="3")
    assert HashMethod(len).calculate("abcd") == "4"
    assert repr(HashMethod(parity)) == "HashMethod(parity)"


def test_a_failing_hash_function_is_a_clear_error() -> None:
    def boom(value: int) -> str:
        raise RuntimeError("no hash today")

    with pytest.raises(TypeTransformerError) as info:
        to_literal(1, Annotated[int, HashMethod(boom)])
    assert str(info.value).endswith("failed on a value of int: RuntimeError: no hash today")
    with pytest.raises(TypeError, match="HashMethod needs a function"):
        HashMethod("not callable")  # type: ignore[arg-type]  # deliberately wrong


def test_hashed_values_nest_in_containers_and_records() -> None:
    literal = to_literal([1, 2], list[Parity])
    assert isinstance(literal, CollectionValue)
    assert [item.hash for item in literal.items if isinstance(item, HashedValue)] == ["odd", "even"]
    assert to_python(literal, list[Parity]) == [1, 2]

    @dataclass
    class Scored:
        score: Parity
        label: str

    value = Scored(score=7, label="x")
    assert to_python(to_literal(value, Scored), Scored) == value


def test_a_remote_file_with_a_hash_method_is_not_fingerprinted(store: BlobStore) -> None:
    by_name = HashMethod(lambda f: f.path.rsplit("/", 1)[-1])
    uri = f"memory://bucket-{uuid.uuid4().hex}/never-written.csv"  # no fingerprint possible
    literal = to_literal(FlyteFile(uri), Annotated[FlyteFile, by_name])
    assert literal == HashedValue(value=BlobValue(uri=uri), hash="never-written.csv")
    assert literal_type_of(Annotated[FlyteFile, by_name]) == literal_type_of(FlyteFile)


def test_a_local_file_with_a_hash_method_is_still_uploaded(
    store: BlobStore, tmp_path: Path
) -> None:
    local = tmp_path / "data.csv"
    local.write_text("rows")
    literal = to_literal(str(local), Annotated[FlyteFile, HashMethod(lambda f: "v1")])
    assert isinstance(literal, HashedValue) and literal.hash == "v1"
    assert isinstance(literal.value, BlobValue) and store.read_bytes(literal.value.uri) == b"rows"
    uri = f"memory://bucket-{uuid.uuid4().hex}/x.csv"
    with fsspec.open(uri, "wb") as handle:
        handle.write(b"x")
    assert literal_hash(to_literal(uri, Annotated[FlyteFile, HashMethod(lambda f: "v1")])) == (
        literal_hash(literal)
    )


@task
def halve(x: int) -> Parity:
    return x // 2


@task
def describe_number(x: int) -> str:
    return f"{x} is {parity(x)}"


@workflow
def parity_wf(x: int) -> str:
    return describe_number(x=halve(x=x))


def test_a_hashed_output_feeds_a_plain_input(store: BlobStore) -> None:
    execution = execute(parity_wf, {"x": 10})
    assert execution.outputs() == "5 is odd"
    produced = execution.node("n0").outputs
    assert produced == {"o0": HashedValue(value=IntegerValue(value=5), hash="odd")}


def test_other_annotations_survive_a_hash_method(store: BlobStore) -> None:
    pd = pytest.importorskip("pandas")
    from aloft import kwtypes

    columns = Annotated[pd.DataFrame, kwtypes(a=int)]
    hashed = Annotated[pd.DataFrame, kwtypes(a=int), HashMethod(lambda df: "v1")]
    assert literal_type_of(hashed) == literal_type_of(columns)
    literal = to_literal(pd.DataFrame({"a": [1, 2]}), hashed)
    assert isinstance(literal, HashedValue) and literal.hash == "v1"
    assert to_python(literal, hashed)["a"].tolist() == [1, 2]
