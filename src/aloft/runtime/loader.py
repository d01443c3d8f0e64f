"""Finding a task's code from its ``CodeReference``.

Code that names a bundle is imported from that bundle, fetched from the blob store and
unpacked once per digest (``aloft.storage.bundles``); other code from the attempt's code
root, else from wherever Python finds it. A failure here does not go away on retry (the
module, the name or the bundle is missing), so it is a ``CodeLoadError``: the node fails at
once with its message.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from types import ModuleType
from typing import Any, cast

from aloft.errors import UserError
from aloft.ir import CodeReference
from aloft.runtime.protocol import RunnableTask
from aloft.storage.bundles import BundleError, fetch
from aloft.storage.layout import bundle_uri


class CodeLoadError(UserError):
    """A task's code cannot be found where its code reference says."""


def load_task(code: CodeReference, code_root: str = "", bundles: str = "") -> RunnableTask:
    """Import ``code.module`` and return its task ``code.qualname``.

    The module comes from the code bundle ``code.bundle`` when the reference names one, found
    in the blob-store folder ``bundles``; else from ``code_root`` first.
    """
    if "<locals>" in code.qualname:
        raise CodeLoadError(
            f"task {code.module}.{code.qualname} is defined inside a function, so a worker "
            "cannot import it; define it at module level"
        )
    if code.bundle:
        folder = _bundle_folder(code, bundles)
        _enter_bundle(folder)
        _import_from(folder, code.module)
    elif code_root:
        _import_from(code_root, code.module)
    try:
        target: Any = importlib.import_module(code.module)
    except Exception as exc:
        raise CodeLoadError(
            f"cannot import module {code.module!r}: {type(exc).__name__}: {exc}"
        ) from exc
    for part in code.qualname.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise CodeLoadError(f"module {code.module!r} has no task {code.qualname!r}") from None
    return cast(RunnableTask, target)


_current_bundle: list[str] = []
"""The folder of the bundle this worker imported code from last (none yet: empty)."""


def _enter_bundle(folder: str) -> None:
    """Import from bundle ``folder`` from now on: the bundle imported from before leaves
    ``sys.path``, and every module it gave is forgotten, helpers included, so that no code of
    one version of a project runs in another."""
    if _current_bundle == [folder]:
        return
    for previous in _current_bundle:
        with contextlib.suppress(ValueError):
            sys.path.remove(previous)
        for name, module in list(sys.modules.items()):
            if module is not None and _lies_in(module, previous):
                del sys.modules[name]
    _current_bundle[:] = [folder]


def _bundle_folder(code: CodeReference, bundles: str) -> str:
    """The local folder code bundle ``code.bundle`` is unpacked in, fetched if need be."""
    if not bundles:
        raise CodeLoadError(
            f"task {code.module}.{code.qualname} comes from code bundle {code.bundle}, "
            "but the attempt names no bundle store to fetch it from"
        )
    try:
        return str(fetch(bundle_uri(bundles, code.bundle), code.bundle))
    except BundleError as exc:
        raise CodeLoadError(f"task {code.module}.{code.qualname}: {exc}") from None


def _import_from(code_root: str, module: str) -> None:
    """Make ``module`` import from ``code_root``: first on the path, and forget a module of
    that name (and its package) imported earlier from somewhere else, as a warm worker that
    ran another project's code may have."""
    if sys.path[:1] != [code_root]:
        with contextlib.suppress(ValueError):
            sys.path.remove(code_root)
        sys.path.insert(0, code_root)
    top = module.partition(".")[0]
    loaded = sys.modules.get(top)
    if loaded is None or _checked.get((top, code_root)) is loaded:
        return
    if _lies_in(loaded, code_root):
        _checked[top, code_root] = loaded  # the same module object next time: no disk look
        return
    for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
        del sys.modules[name]


_checked: dict[tuple[str, str], ModuleType] = {}
"""Modules already found to come from a code root, by (top-level name, code root)."""


def _lies_in(module: ModuleType, folder: str) -> bool:
    locations = [getattr(module, "__file__", None), *getattr(module, "__path__", [])]
    root = os.path.join(os.path.realpath(folder), "")
    return any(p and os.path.realpath(p).startswith(root) for p in locations)
