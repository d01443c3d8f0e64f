"""Where user code lives: source locations for messages, module names for the IR, and the
files user code names by relative paths.

The IR must not change between checkouts, working directories or runs, so it names code by
module relative to the project root (the first folder up from a file that is not a package)
and locations by path relative to that root.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from aloft.compiler import Location


def project_root(file: str | os.PathLike[str]) -> Path:
    """The first folder above ``file`` that is not a package (has no ``__init__.py``)."""
    folder = Path(file).resolve().parent
    while (folder / "__init__.py").exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def module_name_for_file(file: str | os.PathLike[str]) -> str:
    """The dotted module name ``file`` is importable as from its project root."""
    path = Path(file).resolve()
    relative = path.relative_to(project_root(path)).with_suffix("")
    return ".".join(relative.parts)


def module_of(fn: Callable[..., Any]) -> str:
    """The importable module name of ``fn``; a script run as ``__main__`` is named by its file."""
    module = fn.__module__
    if module == "__main__":
        main_file = getattr(sys.modules["__main__"], "__file__", None)
        if main_file:
            return module_name_for_file(main_file)
    return module


def location(file: str, line: int) -> Location:
    """A location in ``file``: shown relative to the working directory, stored relative to
    the project root."""
    display, source = _paths(file, os.getcwd())
    return Location(display=f"{display}:{line}", source=f"{source}:{line}")


@functools.lru_cache(maxsize=256)
def _paths(file: str, cwd: str) -> tuple[str, str]:
    """How ``file`` is shown (from ``cwd``) and stored (from its project root); cached, since
    every node of a traced workflow asks for the same file."""
    display = os.path.relpath(file, cwd)
    if display.startswith(".." + os.sep):
        display = file
    try:
        source = Path(file).resolve().relative_to(project_root(file)).as_posix()
    except ValueError:
        source = Path(file).name
    return display, source


def function_location(fn: Callable[..., Any]) -> Location:
    """Where ``fn`` is defined."""
    code = fn.__code__
    return location(code.co_filename, code.co_firstlineno)


def caller_location() -> Location:
    """The first stack frame outside aloft: the user's line that called into it."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("aloft."):
        frame = frame.f_back
    if frame is None:  # pragma: no cover - aloft always has a caller
        return Location(display="<unknown>", source="<unknown>")
    return location(frame.f_code.co_filename, frame.f_lineno)


@dataclass(frozen=True)
class Site:
    """Where an object was created: the module (importable name and namespace) and the line."""

    module: str
    namespace: dict[str, Any]
    location: Location


def instantiation_site(instance: object) -> Site:
    """Where the user created ``instance``. Frames of aloft and of ``__init__`` methods running
    on ``instance`` (a user's subclass calling its base) are skipped, so the answer is the
    line that wrote ``MyTask(...)``."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and (
        frame.f_globals.get("__name__", "").startswith("aloft.")
        or (frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is instance)
    ):
        frame = frame.f_back
    if frame is None:  # pragma: no cover - a user always creates the instance
        return Site("__main__", {}, Location(display="<unknown>", source="<unknown>"))
    file = frame.f_code.co_filename
    name = str(frame.f_globals.get("__name__", "__main__"))
    module = module_name_for_file(file) if name == "__main__" else name
    return Site(module, frame.f_globals, location(file, frame.f_lineno))


def caller_module() -> str:
    """The importable module name of the first stack frame outside aloft."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("aloft."):
        frame = frame.f_back
    if frame is None:  # pragma: no cover - aloft always has a caller
        return "__main__"
    name = str(frame.f_globals.get("__name__", "__main__"))
    return module_name_for_file(frame.f_code.co_filename) if name == "__main__" else name


def find_local_file(path: str, site: Site) -> Path | None:
    """The existing file ``path`` names, made absolute, or None if there is none.

    A definition may name a file by a relative path (a script, a database, a requirements
    file). flytekit reads it from the working directory; a worker that imports the definition
    from a code bundle runs elsewhere, so the path is also looked for next to the module that
    made ``site`` and in its project folder; the first that exists wins.
    """
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    folders = [Path.cwd()]
    module_file = site.namespace.get("__file__")
    if isinstance(module_file, str):
        folders += [Path(module_file).resolve().parent, project_root(module_file)]
    for folder in folders:
        found = folder / candidate
        if found.is_file():
            return Path(os.path.abspath(found))
    return None
