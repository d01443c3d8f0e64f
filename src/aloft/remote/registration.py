"""What a client registers: the entities its modules define, compiled to IR drafts, and the
code bundle of the project folder they come from."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from aloft.errors import InputError, UserError
from aloft.ir import LaunchPlanSpec, ResourceType, TaskTemplate, WorkflowTemplate, to_json
from aloft.sdk import Entity
from aloft.sdk.entity import TaskEntity
from aloft.sdk.launch_plan import LaunchPlan
from aloft.sdk.location import module_name_for_file, project_root
from aloft.sdk.map_task import ArrayNodeMapTask
from aloft.sdk.reference import ReferenceEntity
from aloft.storage.bundles import ALWAYS_IGNORED, Bundle, pack

_SKIPPED_FOLDERS = {name.rstrip("/") for name in ALWAYS_IGNORED if name.endswith("/")}


def kind_of(entity: Entity) -> ResourceType:
    """Whether ``entity`` registers as a task, a workflow or a launch plan."""
    if isinstance(entity, LaunchPlan):
        return ResourceType.LAUNCH_PLAN
    if isinstance(entity, TaskEntity):
        return ResourceType.TASK
    return ResourceType.WORKFLOW


def draft_of(entity: Entity) -> dict[str, Any] | None:
    """The registration body of ``entity`` (kind, own IR, closure), or None for what is not
    registered on its own (reference entities, map tasks)."""
    if isinstance(entity, ReferenceEntity | ArrayNodeMapTask):
        return None
    kind = kind_of(entity)
    template: TaskTemplate | WorkflowTemplate | LaunchPlanSpec
    if isinstance(entity, LaunchPlan):
        template = entity.spec
    elif isinstance(entity, TaskEntity):
        template = entity.template
    else:
        template = entity.closure.workflow
    return {
        "resource_type": kind.value,
        "template": json.loads(to_json(template)),
        "closure": json.loads(to_json(entity.closure)),
    }


def entities_in(paths: Sequence[str]) -> tuple[Path, list[Entity]]:
    """Import every Python file of ``paths`` (files, or folders searched recursively) from
    their project folder, and return that folder and the entities the files define.

    All files must lie in one project folder (the first folder above them that is not a
    package), which becomes the code bundle.
    """
    files = sorted({f.resolve() for f in _python_files(paths)})
    if not files:
        raise InputError(f"no Python files in {', '.join(paths)}")
    roots = {project_root(f) for f in files}
    if len(roots) > 1:
        listed = ", ".join(sorted(str(r) for r in roots))
        raise InputError(f"the files lie in different project folders ({listed}); register each")
    root = roots.pop()
    found: dict[str, Entity] = {}
    for file in files:
        module = _import(file, root)
        for entity in vars(module).values():
            if isinstance(entity, Entity) and entity.module_name == module.__name__:
                found.setdefault(f"{type(entity).__name__}:{entity.name}", entity)
    return root, list(found.values())


def bundle_of(root: Path) -> Bundle:
    """The code bundle of project folder ``root``."""
    return pack(root)


def root_of(entity: Entity) -> Path:
    """The project folder ``entity``'s module was imported from; ``InputError`` for an
    entity defined where no worker could import it (a notebook, ``__main__``)."""
    module = sys.modules.get(entity.module_name)
    file = getattr(module, "__file__", None)
    if module is None or file is None or entity.module_name == "__main__":
        raise InputError(
            f"{entity.name} is defined in {entity.module_name}, which is not a module file a "
            "worker can import; define it in a .py file and import it from there"
        )
    return project_root(file)


def _python_files(paths: Iterable[str]) -> Iterable[Path]:
    for text in paths:
        path = Path(text)
        if path.is_file():
            if path.suffix != ".py":
                raise InputError(f"{text}: not a Python file")
            yield path
        elif path.is_dir():
            for file in path.rglob("*.py"):
                if not _SKIPPED_FOLDERS.intersection(file.relative_to(path).parts[:-1]):
                    yield file
        else:
            raise InputError(f"{text}: no such file or folder")


def _import(file: Path, root: Path) -> ModuleType:
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        return importlib.import_module(module_name_for_file(file))
    except UserError:
        raise
    except SystemExit as exc:
        raise InputError(f"{file}: importing it called sys.exit({exc.code!r})") from None
    except Exception as exc:
        raise InputError(f"{file}: importing it failed: {type(exc).__name__}: {exc}") from exc
