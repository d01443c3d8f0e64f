"""Finding a task's code from its ``CodeReference``.

A failure here does not go away on retry (the module or the name is missing), so it is a
``CodeLoadError``: the node fails at once with its message.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, cast

from aloft.errors import UserError
from aloft.ir import CodeReference
from aloft.runtime.protocol import RunnableTask


class CodeLoadError(UserError):
    """A task's code cannot be found where its code reference says."""


def load_task(code: CodeReference, code_root: str = "") -> RunnableTask:
    """Import ``code.module`` (from ``code_root`` first) and return its task ``code.qualname``."""
    if code.bundle:
        raise CodeLoadError(
            f"task {code.module}.{code.qualname} comes from code bundle {code.bundle}, "
            "and this worker cannot fetch code bundles (registration comes with the server)"
        )
    if "<locals>" in code.qualname:
        raise CodeLoadError(
            f"task {code.module}.{code.qualname} is defined inside a function, so a worker "
            "cannot import it; define it at module level"
        )
    if code_root and code_root not in sys.path:
        sys.path.insert(0, code_root)
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
