"""Python interfaces: the typed inputs and outputs a function declares.

Outputs follow flytekit: no return annotation or ``None`` means no outputs; a ``NamedTuple``
names them; a ``tuple[...]`` (or, as flytekit also reads it, a tuple of types written
``-> (float, float)``) gives ``o0``, ``o1``, ...; any other type is the single ``o0``.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from aloft.errors import DecoratorError, TypeTransformerError
from aloft.ir import NONE_TYPE, TypedInterface, UnionType, Variable
from aloft.sdk.location import caller_location
from aloft.types import literal_type_of, to_literal
from aloft.types.hash_method import declaring

_NO_DEFAULT = inspect.Parameter.empty


@dataclass(frozen=True)
class Interface:
    """Python types of an entity's inputs and outputs, with input defaults.

    Attributes:
        inputs: input name to annotation, in declaration order.
        defaults: input name to default value, for inputs that have one.
        outputs: output name to annotation, in declaration order.
        output_tuple: the ``NamedTuple`` class the outputs were declared with, if any.
    """

    inputs: dict[str, Any]
    defaults: dict[str, Any]
    outputs: dict[str, Any]
    output_tuple: type | None = None


def declared_types(value: Any, name: str) -> dict[str, Any]:
    """A task type's ``inputs=`` or ``outputs=`` argument (``kwtypes(x=int)``) as a dict of
    names to types; anything else is a ``DecoratorError`` naming the user's line."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise DecoratorError(
            f"{caller_location().display}: {name} must map names to types, such as "
            f"kwtypes(x=int), got {value!r}"
        )
    return dict(value)


def interface_of(fn: Callable[..., Any], what: str) -> Interface:
    """Read ``fn``'s signature; ``what`` (``task t``) names it in errors."""
    hints = type_hints(fn, what)
    inputs: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for name, parameter in inspect.signature(fn).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            raise DecoratorError(f"{what}: *args and **kwargs are not supported ({name})")
        if name not in hints:
            raise DecoratorError(f"{what}: input {name!r} has no type annotation")
        inputs[name] = hints[name]
        if parameter.default is not _NO_DEFAULT:
            defaults[name] = parameter.default
    outputs, output_tuple = _outputs(hints.get("return"), what)
    return Interface(inputs=inputs, defaults=defaults, outputs=outputs, output_tuple=output_tuple)


def type_hints(fn: Callable[..., Any], what: str) -> dict[str, Any]:
    """``fn``'s resolved annotations, a ``DecoratorError`` naming ``what`` if they cannot be
    resolved; a return annotation written as a tuple of types
    (``-> (float, float)``, which ``typing`` refuses) is read as ``tuple[float, float]``."""
    annotations = dict(getattr(fn, "__annotations__", {}))
    namespace = getattr(inspect.unwrap(fn), "__globals__", {})
    returned = annotations.get("return")
    if isinstance(returned, str) and returned.lstrip().startswith("("):
        try:  # a string only under `from __future__ import annotations`
            returned = eval(returned, namespace)
        except Exception as exc:
            raise DecoratorError(f"{what}: cannot resolve its return annotation: {exc}") from None
    if isinstance(returned, tuple):
        annotations["return"] = tuple.__class_getitem__(returned) if returned else None
    holder = SimpleNamespace(__annotations__=annotations, __globals__=namespace)
    try:
        return typing.get_type_hints(holder, include_extras=True)
    except Exception as exc:
        raise DecoratorError(f"{what}: cannot resolve its type annotations: {exc}") from None


def _outputs(annotation: Any, what: str) -> tuple[dict[str, Any], type | None]:
    if annotation is None or annotation is type(None):
        return {}, None
    if (
        isinstance(annotation, type)
        and issubclass(annotation, tuple)
        and hasattr(annotation, "_fields")
    ):
        return dict(typing.get_type_hints(annotation, include_extras=True)), annotation
    if typing.get_origin(annotation) is tuple:
        args = typing.get_args(annotation)
        if not args or (len(args) == 2 and args[1] is Ellipsis):
            raise DecoratorError(
                f"{what}: a variable-length tuple output is not supported; "
                "declare each output (tuple[int, str]) or return a list"
            )
        return {f"o{index}": arg for index, arg in enumerate(args)}, None
    return {"o0": annotation}, None


def typed_interface(interface: Interface, what: str) -> TypedInterface:
    """The IR form of ``interface``; unsupported types and bad defaults are errors here,
    at decoration time."""
    inputs = {}
    for name, annotation in interface.inputs.items():
        literal_type = _literal_type(annotation, f"{what}, input {name!r}")
        default = None
        if name in interface.defaults:
            try:
                with declaring():
                    default = to_literal(interface.defaults[name], annotation)
            except TypeTransformerError as exc:
                raise DecoratorError(f"{what}, input {name!r}: bad default: {exc}") from None
        elif isinstance(literal_type, UnionType) and NONE_TYPE in literal_type.variants:
            default = to_literal(None, annotation)
        inputs[name] = Variable(type=literal_type, default=default)
    outputs = {
        name: Variable(type=_literal_type(annotation, f"{what}, output {name!r}"))
        for name, annotation in interface.outputs.items()
    }
    return TypedInterface(inputs=inputs, outputs=outputs)


def _literal_type(annotation: Any, where: str) -> Any:
    try:
        return literal_type_of(annotation)
    except TypeTransformerError as exc:
        raise DecoratorError(f"{where}: {exc}") from None
