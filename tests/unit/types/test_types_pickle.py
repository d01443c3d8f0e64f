"""The pickle fallback: classes nobody handles are pickled, with a warning, as in flytekit."""

# The typing forms (Optional, Dict, Tuple, Callable) are what flytekit users write: test them.
# ruff: noqa: UP006, UP045

from __future__ import annotations

import hashlib
import pickle
import threading
import typing
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

from aloft import task, workflow
from aloft.errors import TypeTransformerError
from aloft.ir import (
    CollectionValue,
    IntegerValue,
    NoneValue,
    PickleType,
    PickleValue,
)
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context
from aloft.types import literal_type_of, parse_cli_value, pickles, to_literal, to_python
from aloft.types.engine import transformer_for
from aloft.types.pickles import (
    INLINE_LIMIT,
    AloftPickleWarning,
    PickleTransformer,
    is_pickled,
)

HERE = __name__


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __repr__(self) -> str:
        return f"Point({self.x}, {self.y})"


class Holder:
    """Holds a lock, which cannot be pickled."""

    def __init__(self) -> None:
        self.lock = threading.Lock()


class Payload:
    def __init__(self, data: bytes) -> None:
        self.data = data


class Announced:
    """Used by the warning test only, so that its first declaration happens there."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BlobStore]:
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw", "test"), 1 << 20)):
        yield store


@pytest.fixture
def unwarned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget which types were already warned about."""
    monkeypatch.setattr(pickles, "_warned", set())


# -- which types are pickled -----------------------------------------------------------------


def test_declaring_a_class_without_a_transformer_warns_once() -> None:
    expected = rf"type {HERE}\.Announced has no transformer; its values will be pickled"
    with pytest.warns(AloftPickleWarning, match=expected) as record:
        assert literal_type_of(Announced) == PickleType(name=f"{HERE}.Announced")
    assert record[0].filename == __file__  # points at the declaration, not at aloft
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PickleTransformer().literal_type(Announced)  # no second warning


@pytest.mark.parametrize(
    ("py_type", "name"),
    [(Any, "typing.Any"), (complex, "complex"), (threading.Thread, "threading.Thread")],
)
def test_any_and_plain_classes_are_pickled(unwarned: None, py_type: Any, name: str) -> None:
    assert isinstance(transformer_for(py_type), PickleTransformer)
    with pytest.warns(AloftPickleWarning, match=f"type {name} has no transformer"):
        assert transformer_for(py_type).literal_type(py_type) == PickleType(name=name)


@pytest.mark.parametrize(
    ("py_type", "message"),
    [
        (set[int], "type set[int] is not supported"),
        (tuple[int, str], "type tuple[int, str] is not supported"),
        (typing.Tuple[int, str], "is not supported"),
        (tuple, "type <class 'tuple'> is not supported"),
        (typing.Callable[[int], int], "is not supported"),
        (dict[float, str], "dict keys must be str or int, got dict[float, str]"),
        (list, "a bare list is not supported"),
    ],
)
def test_generic_forms_nobody_handles_stay_errors(py_type: Any, message: str) -> None:
    with pytest.raises(TypeTransformerError) as info:
        literal_type_of(py_type)
    assert message in str(info.value)


def test_is_pickled_tells_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert is_pickled(Announced) and is_pickled(Any)
        assert not is_pickled(int) and not is_pickled(list[int])
    with pytest.raises(TypeTransformerError, match="not supported"):
        is_pickled(set[int])


def test_pickled_classes_nest_in_containers(store: BlobStore) -> None:
    points = [Point(1, 2), Point(3, 4)]
    literal = to_literal(points, list[Point])
    assert isinstance(literal, CollectionValue)
    assert all(isinstance(item, PickleValue) for item in literal.items)
    assert to_python(literal, list[Point]) == points
    assert to_python(to_literal(None, Optional[Point]), Optional[Point]) is None
    assert to_python(to_literal({"p": Point(0, 1)}, dict[str, Point]), dict[str, Point]) == {
        "p": Point(0, 1)
    }


# -- values ----------------------------------------------------------------------------------


def test_a_small_pickle_is_inline_and_hashed_by_its_bytes(store: BlobStore) -> None:
    literal = to_literal(Point(1, 2), Point)
    assert isinstance(literal, PickleValue) and literal.uri == ""
    assert literal.hash == hashlib.sha256(literal.data).hexdigest()
    assert pickle.loads(literal.data) == Point(1, 2)
    assert to_python(literal, Point) == Point(1, 2)


def test_a_large_pickle_is_written_to_the_store(store: BlobStore) -> None:
    value = Payload(bytes(range(256)) * 300)  # ~75 KiB
    literal = to_literal(value, Payload)
    assert isinstance(literal, PickleValue) and literal.data == b""
    assert literal.uri.startswith(store.uri("raw", "test"))
    stored = store.read_bytes(literal.uri)
    assert len(stored) > INLINE_LIMIT and literal.hash == hashlib.sha256(stored).hexdigest()
    assert to_python(literal, Payload).data == value.data


def test_any_takes_any_picklable_value(store: BlobStore) -> None:
    for value in (1, "x", {"a": [1, 2]}, Point(5, 6)):
        assert to_python(to_literal(value, Any), Any) == value


def test_none_is_not_pickled(store: BlobStore) -> None:
    assert to_literal(None, Point) == NoneValue()
    assert to_python(NoneValue(), Point) is None


def test_a_value_of_another_class_is_a_mismatch(store: BlobStore) -> None:
    with pytest.raises(TypeTransformerError, match="expected Point, got int 3"):
        to_literal(3, Point)


def test_an_unpicklable_value_names_its_type_and_the_reason(store: BlobStore) -> None:
    with pytest.raises(TypeTransformerError) as info:
        to_literal(Holder(), Holder)
    assert str(info.value) == (f"cannot pickle {HERE}.Holder: cannot pickle '_thread.lock' object")


def test_a_pickle_that_cannot_be_loaded_is_a_clear_error(store: BlobStore) -> None:
    broken = PickleValue(hash="x", data=b"not a pickle")
    with pytest.raises(TypeTransformerError, match=f"cannot unpickle a value of {HERE}.Point"):
        to_python(broken, Point)
    with pytest.raises(TypeTransformerError, match="expected Point, got int literal 1"):
        to_python(IntegerValue(value=1), Point)


def test_the_command_line_gives_any_a_string_and_refuses_other_classes() -> None:
    assert parse_cli_value("some text", Any) == "some text"
    with pytest.raises(TypeTransformerError, match="cannot be given on the command line"):
        parse_cli_value("1,2", Point)


# -- through workflows -----------------------------------------------------------------------

with pytest.warns(AloftPickleWarning):

    @task
    def make_point(x: int, y: int) -> Point:
        return Point(x, y)

    @task
    def shift(p: Point, dx: int) -> Point:
        return Point(p.x + dx, p.y)

    @task
    def make_holder() -> Holder:
        return Holder()

    @workflow
    def point_wf(x: int, y: int) -> Point:
        return shift(p=make_point(x=x, y=y), dx=10)

    @workflow
    def holder_wf() -> Holder:
        return make_holder()


def test_a_pickled_object_passes_from_task_to_task(store: BlobStore) -> None:
    assert point_wf(x=1, y=2) == Point(11, 2)


def test_an_unpicklable_output_fails_the_task_naming_output_type_and_task(
    store: BlobStore,
) -> None:
    execution = execute(holder_wf, {})
    assert not execution.succeeded
    message = execution.error_message()
    assert f"task {HERE}.make_holder" in message
    assert "output 'o0'" in message
    assert f"cannot pickle {HERE}.Holder: cannot pickle '_thread.lock' object" in message
