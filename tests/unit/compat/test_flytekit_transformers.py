"""Type transformers written against flytekit's API, adapted onto aloft's registry."""

from __future__ import annotations

import datetime
import importlib
import sys
import typing
from pathlib import Path
from typing import Any

import pytest

from aloft import (
    Blob,
    BlobMetadata,
    BlobType,
    FlyteContextManager,
    FlyteFile,
    Literal,
    LiteralType,
    Primitive,
    Scalar,
    SimpleType,
    TypeEngine,
    TypeTransformer,
    TypeTransformerFailedError,
    task,
)
from aloft.compat.file_access import FileAccessError, FileAccessProvider
from aloft.compat.literals import LiteralMap
from aloft.errors import ExecutionFailedError
from aloft.ir import BlobDimensionality
from aloft.ir import BlobType as IRBlobType
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
extension: Any = importlib.import_module("tests.fixtures.flytekit_extension")


def test_a_flytekit_transformer_round_trips_a_file_backed_type_through_a_workflow() -> None:
    assert extension.dataset_wf(n=3) == ["line 0", "line 1", "line 2"]


def test_a_workflow_output_of_the_custom_type_is_decoded_by_the_transformer() -> None:
    dataset = extension.dataset_out_wf(n=2)
    assert isinstance(dataset, extension.MyDataset)
    assert dataset.files == ["part-0.txt", "part-1.txt"]
    assert Path(dataset.new_file("part-1.txt")).read_text() == "line 1"


def test_the_declared_literal_type_is_what_the_task_records() -> None:
    output = extension.generate.template.interface.outputs["o0"].type
    assert output == IRBlobType(format="binary", dimensionality=BlobDimensionality.MULTIPART)


def test_the_type_engine_converts_any_supported_type_to_flytekit_literals_and_back() -> None:
    ctx = FlyteContextManager.current_context()
    cases: list[tuple[Any, Any]] = [
        ([1, 2], list[int]),
        ({"a": 1.5}, dict[str, float]),
        (None, typing.Optional[int]),  # noqa: UP045
        (datetime.date(2024, 1, 31), datetime.date),
        (b"raw", bytes),
    ]
    for value, py_type in cases:
        literal = TypeEngine.to_literal(ctx, value, py_type, TypeEngine.to_literal_type(py_type))
        assert TypeEngine.to_python_value(ctx, literal, py_type) == value
    literal = TypeEngine.to_literal(ctx, [7], list[int], TypeEngine.to_literal_type(list[int]))
    assert literal.collection is not None
    assert literal.collection.literals[0].scalar.primitive.integer == 7  # type: ignore[union-attr]
    assert TypeEngine.to_literal_type(int) == LiteralType(simple=SimpleType.INTEGER)


def test_untyped_dicts_are_flytekit_structs_and_int_keyed_dicts_keep_their_keys() -> None:
    ctx = FlyteContextManager.current_context()
    struct = TypeEngine.to_literal_type(dict)
    assert struct == LiteralType(simple=SimpleType.STRUCT)
    document = {"name": "x", "sizes": [1, 2.5], "nested": {"ok": True, "none": None}}
    literal = TypeEngine.to_literal(ctx, document, dict, struct)
    assert TypeEngine.to_python_value(ctx, literal, dict) == document
    generic = Literal(scalar=Scalar(generic={"from": "flytekit", "n": 3}))
    assert TypeEngine.to_python_value(ctx, generic, dict) == {"from": "flytekit", "n": 3}
    by_int = TypeEngine.to_literal(ctx, {3: "c", 1: "a"}, dict[int, str], None)
    assert TypeEngine.to_python_value(ctx, by_int, dict[int, str]) == {3: "c", 1: "a"}
    dated = Literal(scalar=Scalar(primitive=Primitive(datetime=datetime.datetime(2024, 1, 1))))
    with pytest.raises(TypeTransformerFailedError, match="not a JSON value"):
        TypeEngine.to_python_value(ctx, Literal(map=LiteralMap({"when": dated})), dict)


def test_a_value_of_the_wrong_type_is_a_flytekit_failure_error() -> None:
    ctx = FlyteContextManager.current_context()
    with pytest.raises(TypeTransformerFailedError, match="expected int"):
        TypeEngine.to_literal(ctx, "x", int, LiteralType(simple=SimpleType.INTEGER))
    wrong = Literal(scalar=Scalar(primitive=Primitive(string_value="x")))
    with pytest.raises(TypeTransformerFailedError, match="integer"):
        TypeEngine.to_python_value(ctx, wrong, int)


def test_guess_python_type_reverses_literal_types() -> None:
    assert TypeEngine.guess_python_type(TypeEngine.to_literal_type(list[int])) == list[int]
    single = LiteralType(blob=BlobType(format="csv"))
    assert TypeEngine.guess_python_type(single) is FlyteFile


class Thing:
    def __init__(self, text: str) -> None:
        self.text = text


class WrongKind(TypeTransformer[Thing]):
    def __init__(self) -> None:
        super().__init__(name="wrong-kind", t=Thing)

    def get_literal_type(self, t: type[Thing]) -> LiteralType:
        return LiteralType(blob=BlobType(format="thing"))

    def to_literal(self, ctx: Any, python_val: Thing, python_type: Any, expected: Any) -> Literal:
        return Literal(scalar=Scalar(primitive=Primitive(string_value=python_val.text)))

    def to_python_value(self, ctx: Any, lv: Literal, expected_python_type: Any) -> Thing:
        return Thing("never")


class Missing:
    pass


class PointsNowhere(TypeTransformer[Missing]):
    def __init__(self) -> None:
        super().__init__(name="points-nowhere", t=Missing)

    def get_literal_type(self, t: type[Missing]) -> LiteralType:
        return LiteralType(blob=BlobType(format="x"))

    def to_literal(self, ctx: Any, python_val: Any, python_type: Any, expected: Any) -> Literal:
        uri = ctx.file_access.get_random_remote_path("nothing.bin")
        meta = BlobMetadata(type=BlobType(format="x"))
        return Literal(scalar=Scalar(blob=Blob(metadata=meta, uri=uri)))

    def to_python_value(self, ctx: Any, lv: Literal, expected_python_type: Any) -> Missing:
        return Missing()


class Broken:
    pass


class Raises(TypeTransformer[Broken]):
    def __init__(self) -> None:
        super().__init__(name="raises", t=Broken)

    def get_literal_type(self, t: type[Broken]) -> LiteralType:
        return LiteralType(simple=SimpleType.STRING)

    def to_literal(self, ctx: Any, python_val: Any, python_type: Any, expected: Any) -> Literal:
        raise RuntimeError("disk on fire")

    def to_python_value(self, ctx: Any, lv: Literal, expected_python_type: Any) -> Broken:
        return Broken()


TypeEngine.register(WrongKind())
TypeEngine.register(PointsNowhere())
TypeEngine.register(Raises())


def test_a_transformer_returning_the_wrong_kind_of_literal_is_named_with_its_file_and_line() -> (
    None
):
    @task
    def make() -> Thing:
        return Thing("hi")

    with pytest.raises(ExecutionFailedError) as failure:
        make()
    message = str(failure.value)
    assert "transformer 'wrong-kind' (WrongKind at " in message
    assert "test_flytekit_transformers.py:" in message
    assert "expected FlyteFile[thing] (a blob), got Primitive(string_value='hi')" in message


def test_a_transformer_pointing_at_data_that_is_not_there_is_refused() -> None:
    @task
    def make() -> Missing:
        return Missing()

    with pytest.raises(ExecutionFailedError, match=r"points-nowhere.*nothing is stored at"):
        make()


def test_a_transformer_that_raises_fails_the_task_with_its_error() -> None:
    @task
    def make() -> Broken:
        return Broken()

    with pytest.raises(ExecutionFailedError, match=r"raises.*to_literal failed: RuntimeError"):
        make()


def test_a_value_of_another_type_is_refused_before_the_transformer_runs() -> None:
    @task
    def make() -> Thing:
        return "not a thing"  # type: ignore[return-value]

    with pytest.raises(ExecutionFailedError, match="expected a value of type Thing"):
        make()


def test_a_second_transformer_class_for_a_registered_type_is_refused() -> None:
    class Another(WrongKind):
        pass

    with pytest.raises(ValueError, match="already registered"):
        TypeEngine.register(Another())
    with pytest.raises(TypeError, match="takes a TypeTransformer"):
        TypeEngine.register(object())  # type: ignore[arg-type]


@task
def uploads_then_fails() -> int:
    access = FlyteContextManager.current_context().file_access
    access.put_raw_data(b"half of a result", file_name="part.bin")
    raise ValueError("the rest never came")


def test_what_a_failed_attempt_uploaded_through_file_access_is_removed(tmp_path: Path) -> None:
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw"), 1 << 20)):
        failed = execute(uploads_then_fails, {})
    assert "the rest never came" in failed.error_message()
    assert [p for p in (tmp_path / "store").rglob("*") if p.is_file()] == []


def test_file_access_copies_files_and_folders_and_knows_what_it_uploaded(tmp_path: Path) -> None:
    access = FileAccessProvider(tmp_path / "sandbox", f"file://{tmp_path}/raw")
    local = access.get_random_local_directory()
    (Path(local) / "a.txt").write_text("A")
    remote = access.get_random_remote_directory()
    assert remote.startswith(f"file://{tmp_path}/raw/")
    access.upload_directory(local, remote)
    assert access.uploaded_hash(remote) is not None
    back = access.get_random_local_path()
    access.download_directory(remote, back)
    assert (Path(back) / "a.txt").read_text() == "A"
    assert access.exists(f"{remote}/a.txt")
    raw = access.put_raw_data(b"bytes", upload_prefix="p", file_name="b.bin")
    assert raw == f"file://{tmp_path}/raw/p/b.bin"
    assert Path(tmp_path / "raw" / "p" / "b.bin").read_bytes() == b"bytes"
    with pytest.raises(FileAccessError, match=r"cannot copy .*nowhere"):
        access.get_data(f"file://{tmp_path}/nowhere", str(tmp_path / "x"))
