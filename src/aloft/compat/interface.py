"""flytekit's ``Interface(inputs=..., outputs=...)``, as a ``PythonTask`` subclass builds it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aloft.sdk.interface import Interface as AloftInterface
from aloft.sdk.interface import declared_types


class Interface(AloftInterface):
    """The typed inputs and outputs of a task, built as flytekit builds them.

    Args:
        inputs: Input name to type, or to ``(type, default)``.
        outputs: Output name to type.
        output_tuple_name: Accepted for flytekit compatibility.
        docstring: Accepted for flytekit compatibility.
    """

    def __init__(
        self,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        output_tuple_name: str | None = None,
        docstring: Any = None,
    ) -> None:
        types: dict[str, Any] = {}
        defaults: dict[str, Any] = {}
        for name, declared in declared_types(inputs, "inputs").items():
            if isinstance(declared, tuple) and len(declared) == 2:
                types[name], defaults[name] = declared
            else:
                types[name] = declared
        super().__init__(
            inputs=types, defaults=defaults, outputs=declared_types(outputs, "outputs")
        )
