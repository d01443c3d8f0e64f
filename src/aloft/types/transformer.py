"""The extension point of the type engine: one transformer per family of Python types."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from aloft.ir import Literal, LiteralType
from aloft.types.messages import text_mismatch

T = TypeVar("T")


class TypeTransformer(ABC, Generic[T]):
    """Converts the Python types it handles to literal types, and their values to literals.

    A transformer is stateless with respect to values: the engine passes the annotation being
    converted (``py_type``) to every call, so one instance serves ``list[int]`` and
    ``list[str]`` alike. Raise :class:`aloft.errors.TypeTransformerError` with an
    ``expected ..., got ...`` message (see :mod:`aloft.types.messages`) for anything that
    does not fit.

    Attributes:
        name: What the transformer handles, for messages (``"int"``, ``"list[T]"``).
    """

    name: str = ""

    @abstractmethod
    def handles(self, py_type: Any) -> bool:
        """Whether this transformer owns ``py_type``; must not raise for foreign objects."""

    @abstractmethod
    def literal_type(self, py_type: Any) -> LiteralType:
        """The literal type of ``py_type``; raise if ``py_type`` is handled but malformed."""

    @abstractmethod
    def to_literal(self, value: Any, py_type: Any) -> Literal:
        """Encode ``value``, which should be of ``py_type``, as a literal."""

    @abstractmethod
    def to_python(self, literal: Literal, py_type: Any) -> T:
        """Decode ``literal`` into a value of ``py_type``."""

    def from_json_value(self, data: Any, py_type: Any) -> T:
        """Build a value of ``py_type`` from JSON-decoded data (dicts, lists, str, numbers).

        Used for command-line values and for items nested in them. The default assumes
        ``to_literal`` accepts the JSON form; override it when it does not.
        """
        return self.to_python(self.to_literal(data, py_type), py_type)

    def parse_text(self, text: str, py_type: Any) -> T:
        """Parse a command-line string into a value of ``py_type``; the default reads JSON."""
        import json  # here, not at the top: importing aloft.types should cost next to nothing

        try:
            data = json.loads(text)
        except ValueError as error:
            message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            raise text_mismatch(py_type, text, f"not valid JSON: {message}") from None
        return self.from_json_value(data, py_type)

    def struct_fields(self, py_type: Any) -> dict[str, Any] | None:
        """Field name to annotation, for record types (dataclasses, models); None otherwise."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
