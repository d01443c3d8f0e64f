"""flytekit's ``TypeTransformer[T]`` base class, for transformers written against flytekit.

Subclass it exactly as flytekit's documentation shows (``get_literal_type``, ``to_literal``,
``to_python_value``, optionally ``guess_python_type`` and ``assert_type``) and register an
instance with ``TypeEngine.register``; :mod:`aloft.compat.type_engine` adapts it onto aloft's
own transformer registry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Generic, TypeVar, get_origin

from aloft.errors import TypeTransformerError

if TYPE_CHECKING:
    from aloft.compat.context import FlyteContext
    from aloft.compat.literal_types import LiteralType
    from aloft.compat.literals import Literal

T = TypeVar("T")


class TypeTransformerFailedError(TypeTransformerError, TypeError, AssertionError, ValueError):
    """A value does not fit a type; flytekit code catches it as any of its bases."""


class TypeTransformer(ABC, Generic[T]):
    """Converts values of ``t`` to flytekit ``Literal`` models and back.

    Args:
        name: What the transformer handles, for messages.
        t: The Python type it handles (subclasses too).
        enable_type_assertions: Check values with ``assert_type`` before ``to_literal``.
    """

    def __init__(self, name: str, t: type[T], enable_type_assertions: bool = True) -> None:
        self._name = name
        self._t = t
        self._type_assertions_enabled = enable_type_assertions

    @property
    def name(self) -> str:
        """What the transformer handles."""
        return self._name

    @property
    def python_type(self) -> type[T]:
        """The Python type it handles."""
        return self._t

    @property
    def is_async(self) -> bool:
        """Whether its conversions are coroutines (never, for this base class)."""
        return False

    @property
    def type_assertions_enabled(self) -> bool:
        """Whether values are checked with ``assert_type`` before ``to_literal``."""
        return self._type_assertions_enabled

    def assert_type(self, t: type[T], v: T) -> None:
        """Raise ``TypeTransformerFailedError`` unless ``v`` is a ``t``."""
        origin = get_origin(t)
        check = origin if isinstance(origin, type) else t
        if isinstance(check, type) and not isinstance(v, check):
            raise TypeTransformerFailedError(
                f"expected a value of type {getattr(t, '__qualname__', t)}, "
                f"got {v!r} of type {type(v).__qualname__}"
            )

    @abstractmethod
    def get_literal_type(self, t: type[T]) -> LiteralType:
        """The flytekit ``LiteralType`` of ``t``."""

    def guess_python_type(self, literal_type: LiteralType) -> type[T]:
        """The Python type of ``literal_type``, if this transformer knows it."""
        raise ValueError(f"{self.name} does not turn Flyte types back into Python types")

    @abstractmethod
    def to_literal(
        self, ctx: FlyteContext, python_val: T, python_type: type[T], expected: LiteralType
    ) -> Literal:
        """Encode ``python_val`` (of ``python_type``) as a ``Literal`` of type ``expected``."""

    @abstractmethod
    def to_python_value(
        self, ctx: FlyteContext, lv: Literal, expected_python_type: type[T]
    ) -> T | None:
        """Decode ``lv`` into a value of ``expected_python_type``."""

    def to_html(self, ctx: FlyteContext, python_val: T, expected_python_type: type[T]) -> str:
        """An HTML rendering of the value (for decks)."""
        return str(python_val)

    def __repr__(self) -> str:
        return f"{self._name} Transforms ({self._t}) to Flyte native"
