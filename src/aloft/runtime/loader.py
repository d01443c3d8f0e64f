"""Finding a task's code from its ``CodeReference``."""

from __future__ import annotations

import importlib
from typing import Any, cast

from aloft.errors import PlatformError
from aloft.ir import CodeReference
from aloft.runtime.protocol import RunnableTask


def load_task(code: CodeReference) -> RunnableTask:
    """Import ``code.module`` and return the task object named ``code.qualname`` in it."""
    try:
        target: Any = importlib.import_module(code.module)
    except Exception as exc:
        raise PlatformError(f"cannot import module {code.module!r}: {exc}") from exc
    for part in code.qualname.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise PlatformError(f"module {code.module!r} has no task {code.qualname!r}") from None
    return cast(RunnableTask, target)
