"""Script templates over typed inputs: ``{inputs.x}``, ``{outputs.y}``, ``{ctx.working_directory}``.

The syntax is Python's ``str.format`` (flytekit's): ``{{`` and ``}}`` stand for braces. A
template is checked when its task is defined, so a name that is not an input, an output or
an attribute of the task context is refused there, not when the task runs.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from aloft.sdk.arguments import suggest
from aloft.sdk.context import ExecutionParameters
from aloft.types.blob_paths import BlobPath


class TemplateError(ValueError):
    """A template refers to something it cannot, or is not well formed."""


def check_template(
    template: str, inputs: Iterable[str], outputs: Iterable[str], what: str = "script"
) -> None:
    """Raise ``TemplateError`` naming the first field of ``template`` that is not
    ``inputs.NAME``, ``outputs.NAME`` (of the given names) or ``ctx.ATTRIBUTE``."""
    names = {"inputs": set(inputs), "outputs": set(outputs)}
    try:
        fields = list(_fields(template))
    except ValueError as exc:
        raise TemplateError(
            f"the {what} is not a valid template ({exc}); write {{{{ and }}}} for literal braces"
        ) from None
    for field in fields:
        root, _, rest = field.partition(".")
        name = rest.split(".", 1)[0].split("[", 1)[0]
        if root in names:
            known = names[root]
            if name not in known:
                listed = ", ".join(sorted(known)) or "none"
                raise TemplateError(
                    f"the {what} refers to {{{field}}}, but there is no {root[:-1]} {name!r}"
                    f"{suggest(name, known)} (its {root}: {listed})"
                )
        elif root == "ctx":
            if name.startswith("_") or not hasattr(ExecutionParameters, name):
                raise TemplateError(
                    f"the {what} refers to {{{field}}}, but the task context has no {name!r}"
                )
        else:
            raise TemplateError(
                f"the {what} refers to {{{field}}}: a template field is inputs.NAME, "
                "outputs.NAME or ctx.ATTRIBUTE; write {{ and }} for literal braces"
            )


def render(
    template: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any],
    context: ExecutionParameters,
) -> str:
    """``template`` with its fields replaced: files and folders by their local paths
    (downloaded first), datetimes in ISO format, anything else by ``str``."""
    return _Formatter().format(
        template,
        inputs=SimpleNamespace(**inputs),
        outputs=SimpleNamespace(**outputs),
        ctx=context,
    )


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, BlobPath):
            return value.download()
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        return super().format_field(value, format_spec)


def _fields(template: str) -> Iterable[str]:
    for _, field, spec, _ in string.Formatter().parse(template):
        if field is not None:
            if not field:
                raise ValueError("an empty field {}")
            yield field
        if spec:
            yield from _fields(spec)
