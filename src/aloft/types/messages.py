"""Readable names for Python types, values and literals, and the error messages built from them.

Error messages are a public API: every one names what was expected and what was found
(``expected int, got str 'abc'``), and errors inside a container or a record are prefixed
with where they happened (``field 'pets' of Person: item 2: expected str, got int 3``).
"""

from __future__ import annotations

import datetime
import types
import typing
from enum import Enum
from typing import Annotated, Any, ForwardRef, NewType, Union, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import Literal

_NoneType = type(None)
_MAX_REPR = 40
_SCALARS = (str, bytes, bytearray, bool, int, float, complex)


def python_type_name(py_type: Any) -> str:
    """A readable name for an annotation: ``int``, ``list[int]``, ``Optional[str]``, ``Point``.

    For every supported type it equals ``aloft.ir.describe(literal_type_of(py_type))``:
    ``Annotated`` metadata and ``NewType`` names are dropped, ``typing.List[int]`` reads
    ``list[int]``, and ``int | str`` reads ``Union[int, str]``.
    """
    if py_type is None or py_type is _NoneType:
        return "None"
    if py_type is Any:
        return "Any"
    if py_type is Ellipsis:
        return "..."
    if isinstance(py_type, str):
        return py_type
    if isinstance(py_type, ForwardRef):
        return py_type.__forward_arg__
    if isinstance(py_type, NewType):
        return python_type_name(py_type.__supertype__)
    origin = get_origin(py_type)
    if origin is Annotated:
        return python_type_name(py_type.__origin__)
    if origin is Union or origin is types.UnionType:
        args = get_args(py_type)
        if len(args) == 2 and _NoneType in args:
            other = args[0] if args[1] is _NoneType else args[1]
            return f"Optional[{python_type_name(other)}]"
        return "Union[" + ", ".join(python_type_name(arg) for arg in args) + "]"
    if origin is not None:
        args = get_args(py_type)
        base = python_type_name(origin)
        if not args:
            return base
        return f"{base}[{', '.join(python_type_name(arg) for arg in args)}]"
    if isinstance(py_type, type):
        if issubclass(py_type, Enum):
            return py_type.__name__
        return py_type.__qualname__
    if isinstance(py_type, typing.TypeVar):
        return py_type.__name__
    return repr(py_type)


def short_repr(value: Any) -> str:
    """``repr(value)``, cut to a length that fits in a one-line message."""
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def describe_value(value: Any) -> str:
    """Describe a value for a message: its type, and a short repr for scalars (``str 'abc'``)."""
    if value is None:
        return "None"
    name = python_type_name(type(value))
    if isinstance(value, Enum):
        return f"{name}.{value.name}"
    if isinstance(value, _SCALARS):
        return f"{name} {short_repr(value)}"
    if isinstance(value, datetime.date):
        return f"{name} {value.isoformat()}"
    if isinstance(value, datetime.timedelta):
        return f"{name} {value}"
    return name


def describe_literal(literal: Any) -> str:
    """Describe a literal for a message: its kind, and its value if it is a scalar."""
    config = getattr(type(literal), "__struct_config__", None)
    tag = getattr(config, "tag", None)
    if not isinstance(tag, str):
        return f"{type(literal).__name__} (not a literal)"
    value = getattr(literal, "value", None)
    if isinstance(value, (*_SCALARS, datetime.date, datetime.timedelta)):
        return f"{tag} literal {short_repr(value)}"
    return f"{tag} literal"


def mismatch(expected: Any, value: Any, hint: str = "") -> TypeTransformerError:
    """``expected <type>, got <value>``: a value does not fit a Python type."""
    message = f"expected {python_type_name(expected)}, got {describe_value(value)}"
    return TypeTransformerError(f"{message} ({hint})" if hint else message)


def literal_mismatch(expected: Any, literal: Literal, hint: str = "") -> TypeTransformerError:
    """``expected <type>, got <kind> literal``: a literal cannot be decoded as a Python type."""
    message = f"expected {python_type_name(expected)}, got {describe_literal(literal)}"
    return TypeTransformerError(f"{message} ({hint})" if hint else message)


def text_mismatch(expected: Any, text: str, hint: str = "") -> TypeTransformerError:
    """``expected <type>, got '<text>'``: a command-line string does not parse as a Python type."""
    message = f"expected {python_type_name(expected)}, got {short_repr(text)}"
    return TypeTransformerError(f"{message} ({hint})" if hint else message)


def at(where: str, error: TypeTransformerError) -> TypeTransformerError:
    """Prefix an error raised for a part of a value with where that part is (``item 2``)."""
    return TypeTransformerError(f"{where}: {error}")
