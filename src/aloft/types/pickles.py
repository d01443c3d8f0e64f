"""The pickle fallback: values of a class no other transformer owns are pickled.

As in flytekit, a plain class with no transformer (``socket.socket``, a user's own class,
``typing.Any``) is not an error: its values travel as pickles, and declaring such a type
warns once per type (:class:`AloftPickleWarning`), since a pickle can only be read back by the
same Python and the same code. Generic forms nobody handles (``set[int]``, ``tuple[int,
str]``, a bare ``tuple``) stay errors, as they are in flytekit.

The literal type is ``PickleType(name="module.QualName")``. A value is pickled with the
standard library's ``pickle`` (protocol 5): up to 64 KiB inline in the literal, larger ones
written to the blob store; either way the literal's hash is the SHA-256 of the pickle.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import threading
import warnings
from typing import Any

from msgspec import structs

from aloft.errors import TypeTransformerError
from aloft.ir import Literal, LiteralType, NoneValue, PickleType, PickleValue
from aloft.storage import current_data_context
from aloft.types import engine
from aloft.types.messages import literal_mismatch, mismatch, text_mismatch
from aloft.types.transformer import TypeTransformer

INLINE_LIMIT = 64 * 1024
"""Pickles up to this many bytes are kept in the literal; larger ones go to the blob store."""

PROTOCOL = 5

_warned: set[str] = set()
_warned_lock = threading.Lock()


class AloftPickleWarning(UserWarning):
    """A task declares a type that has no transformer, so its values will be pickled."""


def qualified_name(py_type: Any) -> str:
    """``module.QualName`` of a class (just ``QualName`` for builtins); ``typing.Any`` for Any."""
    if py_type is Any:
        return "typing.Any"
    module = getattr(py_type, "__module__", "")
    name = getattr(py_type, "__qualname__", None) or repr(py_type)
    return name if module in ("builtins", "") else f"{module}.{name}"


class PickleTransformer(TypeTransformer[Any]):
    """Any class nobody else handles, and ``typing.Any``; it is asked last."""

    name = "other classes (pickled)"

    def handles(self, py_type: Any) -> bool:
        if py_type is Any:
            return True
        # A bare tuple (and so every NamedTuple) is refused, as flytekit refuses it.
        return isinstance(py_type, type) and not issubclass(py_type, tuple)

    def literal_type(self, py_type: Any) -> LiteralType:
        name = qualified_name(py_type)
        _warn_once(name)
        return PickleType(name=name)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if value is None:
            return NoneValue()  # as flytekit: None is not pickled
        if not _is_instance(value, py_type):
            raise mismatch(py_type, value)
        return _pickled(value, qualified_name(type(value)))

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        if isinstance(literal, NoneValue):
            return None
        if not isinstance(literal, PickleValue):
            raise literal_mismatch(py_type, literal)
        if literal.batch:
            raise TypeTransformerError(
                f"expected one {qualified_name(py_type)}, got a batch of {literal.batch} from a "
                "list annotated with BatchSize: take the whole list as the input"
            )
        return _unpickled(literal, py_type)

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        if py_type is Any or py_type is object:
            return data
        raise mismatch(py_type, data, "a pickled type cannot be given as JSON")

    def parse_text(self, text: str, py_type: Any) -> Any:
        if py_type is Any or py_type is object:
            return text  # flytekit passes the string itself
        raise text_mismatch(
            py_type, text, "values of a pickled type cannot be given on the command line"
        )


def pickle_batch(values: list[Any], py_type: Any) -> PickleValue:
    """Consecutive ``values`` of a ``list[py_type]`` pickled together as one batch."""
    for value in values:
        if value is not None and not _is_instance(value, py_type):
            raise mismatch(py_type, value)
    pickled = _pickled(values, f"a batch of {qualified_name(py_type)}")
    return structs.replace(pickled, batch=len(values))


def unpickle_batch(literal: PickleValue, py_type: Any) -> list[Any]:
    """The values a batch (from :func:`pickle_batch`) holds."""
    values = _unpickled(literal, py_type)
    if not isinstance(values, list) or len(values) != literal.batch:
        raise TypeTransformerError(
            f"a batch of {qualified_name(py_type)} should hold {literal.batch} values, got "
            f"{type(values).__name__}"
        )
    return values


def _pickled(value: Any, what: str) -> PickleValue:
    try:
        data = pickle.dumps(value, protocol=PROTOCOL)
    except Exception as exc:  # PicklingError, TypeError, AttributeError, RecursionError...
        reason = str(exc) or type(exc).__name__
        raise TypeTransformerError(f"cannot pickle {what}: {reason}") from None
    if len(data) <= INLINE_LIMIT:
        return PickleValue(hash=hashlib.sha256(data).hexdigest(), data=data)
    context = current_data_context()
    uri = context.new_uri("value.pickle")
    return PickleValue(hash=context.store.write_bytes(uri, data), uri=uri)


def _unpickled(literal: PickleValue, py_type: Any) -> Any:
    data = current_data_context().store.read_bytes(literal.uri) if literal.uri else literal.data
    try:
        return pickle.loads(data)
    except Exception as exc:  # a class that moved or was renamed, a corrupt pickle...
        raise TypeTransformerError(
            f"cannot unpickle a value of {qualified_name(py_type)}: {type(exc).__name__}: {exc}"
        ) from None


def is_pickled(py_type: Any) -> bool:
    """Whether values of ``py_type`` would be pickled (no other transformer owns it).

    For transformers whose parts must not be pickles (a table's columns, say): ask this
    before ``literal_type_of``, which would warn.
    """
    return isinstance(engine.transformer_for(py_type), PickleTransformer)


def _is_instance(value: Any, py_type: Any) -> bool:
    if py_type is Any:
        return True
    try:
        return isinstance(value, py_type)
    except TypeError:  # a Protocol that is not runtime-checkable, for one: cannot tell
        return True


def _warn_once(name: str) -> None:
    with _warned_lock:
        if name in _warned:
            return
        _warned.add(name)
    warnings.warn(
        f"type {name} has no transformer; its values will be pickled, which only works "
        "between the same versions of Python and of its code (register a TypeTransformer "
        "to avoid this)",
        AloftPickleWarning,
        stacklevel=_user_stacklevel(),
    )


def _user_stacklevel() -> int:
    """The ``stacklevel`` of the first caller outside aloft (the user's declaration)."""
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith("aloft."):
        frame = frame.f_back
        level += 1
    return level


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (PickleTransformer(),)
