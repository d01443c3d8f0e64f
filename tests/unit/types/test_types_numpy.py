"""numpy arrays between tasks: ``.npy`` files in the blob store, dtype and shape kept."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
import pytest

from aloft import kwtypes, task, workflow
from aloft.errors import ExecutionFailedError, TypeTransformerError
from aloft.ir import BlobType, BlobValue
from aloft.runner import execute
from aloft.storage import current_data_context
from aloft.types import literal_type_of, parse_cli_value, to_literal, to_python


@task
def make(n: int) -> np.ndarray:
    return np.arange(n * 6, dtype=np.float32).reshape(n, 2, 3)


@task
def describe(a: np.ndarray) -> str:
    return f"{a.dtype} {a.shape} {a.sum():g}"


@task
def scale(a: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return a * 2


@workflow
def array_wf(n: int) -> tuple[str, np.ndarray]:
    a = make(n=n)
    return describe(a=a), scale(a=a)


def test_an_array_passes_between_tasks_with_dtype_and_shape() -> None:
    text, scaled = array_wf(n=2)
    assert text == "float32 (2, 2, 3) 66"
    expected = np.arange(12, dtype=np.float32).reshape(2, 2, 3) * 2
    assert scaled.dtype == np.float32 and scaled.shape == (2, 2, 3)
    np.testing.assert_array_equal(scaled, expected)


def test_the_value_is_an_npy_blob_hashed_as_written() -> None:
    execution = execute(array_wf, {"n": 1})
    outputs = execution.node("n0").outputs
    assert outputs is not None
    value = outputs["o0"]
    assert isinstance(value, BlobValue) and value.format == "NumpyArray"
    data = current_data_context().store.read_bytes(value.uri)
    assert data.startswith(b"\x93NUMPY") and value.uri.endswith(".npy")
    assert value.hash == hashlib.sha256(data).hexdigest()


def test_the_literal_type_is_flytekits() -> None:
    assert literal_type_of(np.ndarray) == BlobType(format="NumpyArray")
    assert literal_type_of(npt.NDArray[np.int64]) == BlobType(format="NumpyArray")


@pytest.mark.parametrize(
    "array",
    [
        np.array([[1, 2], [3, 4]], dtype=np.int64, order="F"),
        np.array([True, False]),
        np.array([1 + 2j], dtype=np.complex128),
        np.array(["a", "bc"]),
        np.zeros((0, 3)),
        np.array(3.5),
        np.array([(1, 2.0)], dtype=[("x", "i4"), ("y", "f8")]),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
    ],
)
def test_arrays_round_trip_exactly(array: np.ndarray) -> None:
    back = to_python(to_literal(array, np.ndarray), np.ndarray)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.flags.f_contiguous == array.flags.f_contiguous
    np.testing.assert_array_equal(back, array)


def test_equal_arrays_have_equal_hashes() -> None:
    first = to_literal(np.arange(10), np.ndarray)
    second = to_literal(np.arange(10), np.ndarray)
    assert isinstance(first, BlobValue) and isinstance(second, BlobValue)
    assert first.uri != second.uri and first.hash == second.hash


def test_object_arrays_need_allow_pickle() -> None:
    objects = np.array([{"a": 1}, None], dtype=object)
    with pytest.raises(TypeTransformerError, match=r"kwtypes\(allow_pickle=True\)"):
        to_literal(objects, np.ndarray)
    allowed = Annotated[np.ndarray, kwtypes(allow_pickle=True)]
    back = to_python(to_literal(objects, allowed), allowed)
    assert back.tolist() == [{"a": 1}, None]


def test_mmap_mode_maps_a_local_array() -> None:
    mapped = Annotated[np.ndarray, kwtypes(mmap_mode="r")]
    back = to_python(to_literal(np.arange(5), mapped), mapped)
    assert isinstance(back, np.memmap) and back.tolist() == [0, 1, 2, 3, 4]


def test_an_unknown_option_is_an_error() -> None:
    with pytest.raises(TypeTransformerError, match="unknown numpy array option 'pickle'"):
        to_literal(np.arange(2), Annotated[np.ndarray, kwtypes(pickle=True)])


@task
def not_an_array() -> np.ndarray:
    value: Any = [1, 2]
    return value  # type: ignore[no-any-return]


@workflow
def wrong_wf() -> np.ndarray:
    return not_an_array()


def test_a_value_that_is_not_an_array_is_a_type_error() -> None:
    with pytest.raises(ExecutionFailedError, match="expected ndarray, got list"):
        wrong_wf()


def test_command_line_values(tmp_path: Path) -> None:
    np.testing.assert_array_equal(parse_cli_value("[[1, 2], [3, 4]]", np.ndarray), [[1, 2], [3, 4]])
    path = tmp_path / "a.npy"
    np.save(path, np.arange(3, dtype=np.int8))
    loaded = parse_cli_value(str(path), np.ndarray)
    assert loaded.dtype == np.int8 and loaded.tolist() == [0, 1, 2]
    with pytest.raises(TypeTransformerError, match=r"give a \.npy file or a JSON list"):
        parse_cli_value(str(tmp_path / "missing.npy"), np.ndarray)
