"""Loading a task by its code reference, as a warm worker does attempt after attempt."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aloft.ir import CodeReference
from aloft.runtime import CodeLoadError, load_task

SOURCE = "from aloft import task\n\n\n@task\ndef answer() -> int:\n    return {value}\n"


@pytest.fixture
def two_projects(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two project folders that both have a module ``shared_tasks`` with a task ``answer``."""
    roots = []
    for value in (1, 2):
        root = tmp_path / f"project{value}"
        root.mkdir()
        (root / "shared_tasks.py").write_text(SOURCE.format(value=value))
        roots.append(str(root))
    yield roots[0], roots[1]
    sys.modules.pop("shared_tasks", None)
    for root in roots:
        while root in sys.path:
            sys.path.remove(root)


def test_the_same_module_name_from_two_projects_loads_each_projects_own_code(
    two_projects: tuple[str, str],
) -> None:
    code = CodeReference(module="shared_tasks", qualname="answer")
    first, second = two_projects
    assert load_task(code, first).execute() == 1
    assert load_task(code, second).execute() == 2
    assert load_task(code, first).execute() == 1


def test_missing_modules_names_and_bundles_are_load_errors_naming_them(tmp_path: Path) -> None:
    with pytest.raises(CodeLoadError, match="cannot import module 'no_such_module'"):
        load_task(CodeReference(module="no_such_module", qualname="t"), str(tmp_path))
    with pytest.raises(CodeLoadError, match="module 'json' has no task 'nothing'"):
        load_task(CodeReference(module="json", qualname="nothing"))
    with pytest.raises(CodeLoadError, match="comes from code bundle abc"):
        load_task(CodeReference(module="json", qualname="dumps", bundle="abc"))
    with pytest.raises(CodeLoadError, match="defined inside a function"):
        load_task(CodeReference(module="json", qualname="f.<locals>.g"))
