"""Loading a user's file and finding the tasks and workflows it defines."""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path
from types import ModuleType

from aloft.errors import InputError, UserError
from aloft.sdk import Entity
from aloft.sdk.arguments import suggest
from aloft.sdk.location import location, module_name_for_file, project_root


class LoadError(UserError):
    """The user's file cannot be found or imported."""


def load_file(file: str) -> ModuleType:
    """Import ``file`` as the module it is from its project root (as workers will)."""
    path = Path(file)
    if path.is_dir():
        raise LoadError(f"{file} is a folder; give the Python file that defines the workflow")
    if not path.is_file():
        raise LoadError(f"{file}: no such file")
    if path.suffix != ".py":
        raise LoadError(f"{file}: not a Python file")
    root = str(project_root(path))
    if root not in sys.path:
        sys.path.insert(0, root)
    name = module_name_for_file(path)
    if name.partition(".")[0] in sys.stdlib_module_names:
        raise LoadError(
            f"{file} is named like the standard library module {name.partition('.')[0]!r}, "
            "which Python imports in its place; rename the file"
        )
    try:
        module = importlib.import_module(name)
    except UserError:
        raise
    except Exception as exc:
        where = _user_line(exc, project_root(path)) or file
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        raise LoadError(f"{where}: importing it failed: {type(exc).__name__}: {message}") from exc
    found = getattr(module, "__file__", None)
    if found is None or Path(found).resolve() != path.resolve():
        raise LoadError(
            f"importing {name!r} for {file} gives {found or 'a module without a file'} "
            "instead, which shadows it; rename the file"
        )
    return module


def _user_line(exc: Exception, root: Path) -> str:
    """Where in the user's project ``exc`` was raised, as ``file:line``: the line of a syntax
    error, else the innermost frame of the traceback in a file under ``root`` that is
    neither aloft's nor an installed package's; ``""`` if there is none."""
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        return location(exc.filename, exc.lineno).display
    aloft_folder = Path(__file__).resolve().parents[1]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        source = Path(frame.filename).resolve()
        installed = "site-packages" in source.parts or "dist-packages" in source.parts
        ours = source.is_relative_to(aloft_folder)
        if source.is_relative_to(root) and not installed and not ours:
            return location(frame.filename, frame.lineno or 0).display
    return ""


def entities_of(module: ModuleType) -> dict[str, Entity]:
    """The tasks, workflows and launch plans defined in ``module`` (not those it imports),
    by name."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, Entity) and value.module_name == module.__name__
    }


def find_entity(module: ModuleType, file: str, name: str) -> Entity:
    """The task or workflow ``name`` in ``module``."""
    found = entities_of(module)
    if name not in found:
        raise InputError(
            f"{file} defines no task or workflow {name!r}{suggest(name, found)}; "
            f"it defines {', '.join(sorted(found)) or 'none'}"
        )
    return found[name]


def entity_named(code_root: str, name: str) -> Entity:
    """The entity at ``name`` (``module:attribute``, or the full name ``module.function``),
    imported with ``code_root`` first on the path, as a stored execution records it."""
    if code_root and code_root not in sys.path:
        sys.path.insert(0, code_root)
    module_name, _, attribute = name.rpartition(":" if ":" in name else ".")
    try:
        entity = getattr(importlib.import_module(module_name), attribute)
    except Exception as exc:
        raise LoadError(
            f"cannot load {name} from {code_root or 'the current path'}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(entity, Entity):
        raise LoadError(f"{name} is not a task or workflow")
    return entity
