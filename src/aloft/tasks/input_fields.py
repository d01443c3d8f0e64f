"""Input fields as flytekit writes them in queries and container commands:
``{{ .inputs.NAME }}``, replaced by the input's value when the task runs.

A field that names no input is refused when the task is defined, naming the text it stands
in; what a value turns into is the task type's choice (``show``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aloft.errors import DecoratorError
from aloft.sdk.arguments import suggest

INPUT_FIELD = re.compile(r"\{\{\s*\.inputs\.(\w+)\s*\}\}", re.IGNORECASE)
"""``{{ .inputs.NAME }}``, spaces optional, in any case, as flytekit matches it."""


def check_input_fields(
    texts: Iterable[str], inputs: Mapping[str, Any], what: str, where: Callable[[str], str]
) -> set[str]:
    """The names of the inputs ``texts`` use; a field naming no input raises
    ``DecoratorError`` starting with ``what`` (the task's file:line), saying which text holds
    it (``where(text)``)."""
    used: set[str] = set()
    for text in texts:
        for match in INPUT_FIELD.finditer(text):
            name = match.group(1)
            if name not in inputs:
                raise DecoratorError(
                    f"{what}: {where(text)} names {match.group(0)}, but there is no input "
                    f"{name!r}{suggest(name, inputs)} (its inputs: {', '.join(inputs) or 'none'})"
                )
            used.add(name)
    return used


def fill_input_fields(text: str, values: Mapping[str, Any], show: Callable[[str, Any], str]) -> str:
    """``text`` with each field replaced by ``show(name, value)`` of its input's value;
    ``KeyError`` for a field whose input has no value."""
    return INPUT_FIELD.sub(lambda match: show(match.group(1), values[match.group(1)]), text)
