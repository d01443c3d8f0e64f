"""Property: any value of any supported nested type comes back equal, on every path it takes.

Random nested types (``tests/fixtures/roundtrip_types.py``) and random values of them go
through the type engine, the IR's JSON codec, the blob store (every literal offloaded), and a
one-task workflow run in this process and on a warm pool of worker processes. "Equal" is
strict: the same types (an int stays an int), NaN for NaN, -0.0 for -0.0, the same instant
for datetimes, the same bytes for files.

``make test`` runs a few hundred examples in all; ``make fuzz`` sets
``ALOFT_HYPOTHESIS_PROFILE=fuzz`` for 20,000 round trips per path and prints the counts.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import os
import shutil
import string
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst
from tests.fixtures import roundtrip_types as types
from tests.fixtures.roundtrip_types import Color, Inner, Model, Opaque, Point

from aloft import FlyteDirectory, FlyteFile
from aloft.executors.process import ProcessExecutor
from aloft.ir import Literal, OffloadedValue, from_json, to_json
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context, offload_if_large
from aloft.types import to_literal, to_python

ROOT = Path(__file__).resolve().parents[3]
FUZZ_EXAMPLES = 20_000

settings.register_profile(
    "test",
    max_examples=200,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz", settings.get_profile("test"), max_examples=FUZZ_EXAMPLES)
PROFILE = os.environ.get("ALOFT_HYPOTHESIS_PROFILE", "test")
settings.load_profile(PROFILE)

ROUND_TRIPS: Counter[str] = Counter()


def examples(quick: int) -> settings:
    """``quick`` examples in the test profile (a path that costs more), else the profile's."""
    return settings(max_examples=quick) if PROFILE == "test" else settings()


# -- types and values ----------------------------------------------------------------------

LEAF_NAMES = sorted(types.LEAVES)

descriptions = st.recursive(
    st.sampled_from(LEAF_NAMES),
    lambda inner: st.one_of(
        st.tuples(st.just("list"), inner).map(list),
        st.tuples(st.just("dict"), inner).map(list),
        st.tuples(st.just("optional"), inner).map(list),
        st.lists(inner, min_size=2, max_size=3, unique_by=repr).map(lambda m: ["union", m]),
    ),
    max_leaves=4,
)

SCRATCH = Path(tempfile.mkdtemp(prefix="aloft-roundtrip-"))
_serial = iter(range(10**9))

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
names = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=8)


def _file(content: bytes) -> FlyteFile:
    path = SCRATCH / f"file-{next(_serial)}.bin"
    path.write_bytes(content)
    return FlyteFile(str(path))


def _directory(files: dict[str, bytes]) -> FlyteDirectory:
    folder = SCRATCH / f"dir-{next(_serial)}"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return FlyteDirectory(str(folder))


offsets = st.timedeltas(
    min_value=-datetime.timedelta(hours=23, minutes=59, seconds=59),
    max_value=datetime.timedelta(hours=23, minutes=59, seconds=59),
).map(datetime.timezone)


def _storable(moment: datetime.datetime) -> bool:
    """Not one of the few moments refused with a clear error (an offset with seconds, kept in
    UTC, where the moment lies outside the years 1 to 9999)."""
    offset = moment.utcoffset()
    if offset is None or not offset % datetime.timedelta(minutes=1):
        return True
    try:
        moment.astimezone(datetime.UTC)
    except OverflowError:
        return False
    return True


datetimes = st.datetimes() | st.datetimes(timezones=offsets).filter(_storable)
inners = st.builds(Inner, weight=st.floats(), when=st.none() | datetimes)
frames = (
    st.integers(0, 5)
    .flatmap(
        lambda rows: st.fixed_dictionaries(
            {
                "n": st.lists(st.integers(-(2**63), 2**63 - 1), min_size=rows, max_size=rows),
                "x": st.lists(st.floats(), min_size=rows, max_size=rows),
                "s": st.lists(text, min_size=rows, max_size=rows),
                "b": st.lists(st.booleans(), min_size=rows, max_size=rows),
            }
        )
    )
    .map(pd.DataFrame)
)
arrays = npst.arrays(
    dtype=st.sampled_from([np.int64, np.float64, np.bool_]),
    shape=npst.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4),
)

LEAF_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "int": st.integers(-(2**63), 2**63 - 1),
    "float": st.floats(),
    "str": text,
    "bool": st.booleans(),
    "bytes": st.binary(max_size=16),
    "date": st.dates(),
    "datetime": datetimes,
    "timedelta": st.timedeltas(),
    "none": st.none(),
    "color": st.sampled_from(Color),
    "point": st.builds(
        Point,
        x=st.integers(-(2**63), 2**63 - 1),
        label=text,
        tags=st.lists(text, max_size=3),
        color=st.sampled_from(Color),
        inner=st.none() | inners,
    ),
    "model": st.builds(
        Model,
        name=text,
        score=st.floats(),
        counts=st.dictionaries(text, st.integers(-(2**63), 2**63 - 1), max_size=3),
        day=st.dates(),
        parts=st.lists(inners, max_size=2),
    ),
    "file": st.binary(max_size=64).map(_file),
    "directory": st.dictionaries(names, st.binary(max_size=16), max_size=3).map(_directory),
    "frame": frames,
    "array": arrays,
    "opaque": st.builds(Opaque, st.integers(), text),
}


def values_of(description: types.Description) -> st.SearchStrategy[Any]:
    """Values of the type ``description`` describes."""
    if isinstance(description, str):
        return LEAF_VALUES[description]
    constructor, argument = description
    if constructor == "list":
        return st.lists(values_of(argument), max_size=3)
    if constructor == "dict":
        return st.dictionaries(text, values_of(argument), max_size=3)
    if constructor == "optional":
        return st.none() | values_of(argument)
    return st.one_of([values_of(member) for member in argument])


typed_values = descriptions.flatmap(lambda d: st.tuples(st.just(d), values_of(d)))


# -- equality ------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Whether ``b`` is ``a`` come back: equal, of the same type, NaN-aware and sign-aware."""
    if isinstance(a, FlyteFile):
        return isinstance(b, FlyteFile) and _read(a) == _read(b)
    if isinstance(a, FlyteDirectory):
        return isinstance(b, FlyteDirectory) and _tree(a) == _tree(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, datetime.datetime):
        return a == b and (a.tzinfo is None) == (b.tzinfo is None)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if dataclasses.is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, pydantic.BaseModel):
        return all(same(getattr(a, name), getattr(b, name)) for name in type(a).model_fields)
    if isinstance(a, pd.DataFrame):
        return list(a.columns) == list(b.columns) and all(
            a[c].dtype == b[c].dtype and same(a[c].tolist(), b[c].tolist()) for c in a.columns
        )
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and same(a.tolist(), b.tolist())
    return bool(a == b)


def _read(file: FlyteFile) -> bytes:
    with open(file, "rb") as handle:
        return handle.read()


def _tree(directory: FlyteDirectory) -> dict[str, bytes]:
    root = Path(directory.download())
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- the paths -----------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    """Print how many round trips each path made (shown with ``pytest -s``: ``make fuzz``),
    and remove the files and folders the values were made of."""
    yield
    shutil.rmtree(SCRATCH, ignore_errors=True)
    counts = ", ".join(f"{path}: {count}" for path, count in sorted(ROUND_TRIPS.items()))
    print(f"\nround trips with equal values back: {counts}")


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessExecutor]:
    with ProcessExecutor(2) as executor:
        yield executor


def check(path: str, value: Any, back: Any) -> None:
    assert same(value, back), f"{value!r} came back as {back!r}"
    ROUND_TRIPS[path] += 1


@given(typed_values)
def test_the_type_engine_gives_every_value_back(typed: tuple[Any, Any]) -> None:
    description, value = typed
    py_type = types.python_type(description)
    check("type engine", value, to_python(to_literal(value, py_type), py_type))


@given(typed_values)
def test_the_json_codec_gives_every_literal_back(typed: tuple[Any, Any]) -> None:
    description, value = typed
    py_type = types.python_type(description)
    data = to_json(to_literal(value, py_type))
    back: Literal = from_json(data, Literal)  # type: ignore[arg-type]
    check("json", value, to_python(back, py_type))


@given(typed_values)
def test_the_blob_store_gives_every_offloaded_literal_back(typed: tuple[Any, Any]) -> None:
    description, value = typed
    py_type = types.python_type(description)
    store = BlobStore(str(SCRATCH / "offloaded"))
    with data_context(DataContext(store, store.uri("raw", "fuzz"), offload_threshold_bytes=0)):
        literal = offload_if_large(to_literal(value, py_type))
        assert isinstance(literal, OffloadedValue)
        check("blob store", value, to_python(literal, py_type))


def _through(run: Callable[..., Any], description: types.Description, value: Any) -> Any:
    execution = run(types.echo_task(description), {"value": value})
    assert execution.succeeded, execution.error_message()
    return execution.outputs()


@examples(100)
@given(typed_values)
def test_a_workflow_run_in_this_process_gives_every_value_back(typed: tuple[Any, Any]) -> None:
    description, value = typed
    check("workflow, inline", value, _through(execute, description, value))


@examples(40)
@given(typed_values)
def test_a_workflow_run_on_worker_processes_gives_every_value_back(
    pool: ProcessExecutor, typed: tuple[Any, Any]
) -> None:
    description, value = typed

    def on_pool(entity: Any, values: dict[str, Any]) -> Any:
        return execute(entity, values, executor=pool, code_root=str(ROOT))

    check("workflow, worker process", value, _through(on_pool, description, value))
