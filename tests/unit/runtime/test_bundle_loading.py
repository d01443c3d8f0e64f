"""Loading tasks from code bundles, as a warm worker does for one project version after another."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from msgspec import structs

from aloft import task
from aloft.ir import CodeReference, ExecutionId, NodeKey, TaskAttemptSpec
from aloft.runtime import CodeLoadError, load_task, run_attempt
from aloft.storage.bundles import pack
from aloft.storage.layout import bundle_uri
from aloft.types import to_python


@pytest.fixture
def bundles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A bundles folder in a file:// store, with the workers' cache in a fresh aloft home."""
    monkeypatch.setenv("ALOFT_HOME", str(tmp_path / "home"))
    paths = list(sys.path)
    yield (tmp_path / "store" / "bundles").as_uri()
    sys.path[:] = paths
    sys.modules.pop("mod", None)
    sys.modules.pop("helper", None)


def register(bundles: str, root: Path, source: str, helper: str = "") -> str:
    """Pack a project whose ``mod.py`` is ``source`` (and ``helper.py`` ``helper``) and store
    it; its digest."""
    root.mkdir(parents=True)
    (root / "mod.py").write_text(source)
    if helper:
        (root / "helper.py").write_text(helper)
    bundle = pack(root)
    target = Path(bundle_uri(bundles, bundle.digest).removeprefix("file://"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(bundle.data)
    return bundle.digest


def test_two_bundles_of_the_same_module_each_run_their_own_code(
    bundles: str, tmp_path: Path
) -> None:
    first = register(bundles, tmp_path / "v1", "def f():\n    return 1\n")
    second = register(bundles, tmp_path / "v2", "def f():\n    return 2\n")
    assert load_task(CodeReference(module="mod", qualname="f", bundle=first), "", bundles)() == 1
    assert load_task(CodeReference(module="mod", qualname="f", bundle=second), "", bundles)() == 2
    assert load_task(CodeReference(module="mod", qualname="f", bundle=first), "", bundles)() == 1
    assert (tmp_path / "home" / "bundles" / first / "mod.py").is_file()


def test_a_helper_module_of_a_bundle_is_imported_from_the_version_that_runs(
    bundles: str, tmp_path: Path
) -> None:
    source = "from helper import value\n\n\ndef f():\n    return value()\n"
    first = register(bundles, tmp_path / "v1", source, "def value():\n    return 1\n")
    second = register(bundles, tmp_path / "v2", source, "def value():\n    return 2\n")
    for digest, expected in ((first, 1), (second, 2), (first, 1)):
        task = load_task(CodeReference(module="mod", qualname="f", bundle=digest), "", bundles)
        assert task() == expected
    assert sum(str(tmp_path / "home" / "bundles") in entry for entry in sys.path) == 1


def test_a_bundle_missing_from_the_store_is_a_load_error_naming_it(bundles: str) -> None:
    digest = "0" * 64
    code = CodeReference(module="mod", qualname="f", bundle=digest)
    with pytest.raises(CodeLoadError, match=f"no code bundle at {bundle_uri(bundles, digest)}"):
        load_task(code, "", bundles)


def test_a_bundle_without_a_bundle_store_is_a_load_error() -> None:
    code = CodeReference(module="mod", qualname="f", bundle="0" * 64)
    with pytest.raises(CodeLoadError, match="the attempt names no bundle store"):
        load_task(code)


@task
def answer() -> int:
    return 0


def test_a_worker_runs_an_attempt_from_the_bundle_its_spec_names(
    bundles: str, tmp_path: Path
) -> None:
    source = "from aloft import task\n\n\n@task\ndef answer() -> int:\n    return 42\n"
    digest = register(bundles, tmp_path / "project", source)
    code = CodeReference(module="mod", qualname="answer", bundle=digest)
    spec = TaskAttemptSpec(
        execution=ExecutionId(name="bundled"),
        node=NodeKey(path=("n0",)),
        attempt=0,
        token=uuid.uuid4().hex,
        task=structs.replace(answer.template, code=code),
        inputs={},
        output_prefix=(tmp_path / "out").as_uri(),
        bundles=bundles,
    )
    result = run_attempt(spec, write_outputs=False)
    assert result.error is None
    assert result.outputs is not None
    assert to_python(result.outputs["o0"], int) == 42
