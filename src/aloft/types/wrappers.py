"""Annotations that wrap another type: ``Annotated[T, ...]`` and ``NewType``, treated as ``T``.

``Annotated`` metadata is ignored except for a ``HashMethod``, whose hash is attached to the
encoded value (see :mod:`aloft.types.hash_method`). A transformer registered for a specific
``Annotated`` form is asked first and so still wins over this one.
"""

from __future__ import annotations

from typing import Annotated, Any, NewType, get_origin

from aloft.ir import HashedValue, Literal, LiteralType
from aloft.types import engine
from aloft.types.hash_method import HashMethod, hash_method_of, user_hash, user_hash_scope
from aloft.types.transformer import TypeTransformer


class WrapperTransformer(TypeTransformer[Any]):
    """Delegates every call to the transformer of the wrapped type."""

    name = "Annotated[T, ...]/NewType"

    def handles(self, py_type: Any) -> bool:
        return get_origin(py_type) is Annotated or isinstance(py_type, NewType)

    def literal_type(self, py_type: Any) -> LiteralType:
        return engine.literal_type_of(unwrap(py_type))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        method = hash_method_of(py_type)
        if method is None:
            return engine.to_literal(value, unwrap(py_type))
        with user_hash_scope():
            literal = engine.to_literal(value, unwrap(py_type))
        return HashedValue(value=literal, hash=user_hash(method, value, py_type))

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        return engine.to_python(literal, unwrap(py_type))

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        return engine.from_json_value(data, unwrap(py_type))

    def parse_text(self, text: str, py_type: Any) -> Any:
        return engine.parse_cli_value(text, unwrap(py_type))

    def struct_fields(self, py_type: Any) -> dict[str, Any] | None:
        return engine.struct_fields(unwrap(py_type))


def unwrap(py_type: Any) -> Any:
    """The type inside ``Annotated[T, ...]`` or a ``NewType`` (one level).

    A ``HashMethod`` is peeled off first, keeping the other metadata: in
    ``Annotated[pd.DataFrame, kwtypes(a=int), HashMethod(fn)]`` the columns still reach the
    dataframe transformer. Metadata no transformer claims is dropped on the next pass.
    """
    if isinstance(py_type, NewType):
        return py_type.__supertype__
    metadata = py_type.__metadata__
    kept = tuple(item for item in metadata if not isinstance(item, HashMethod))
    if kept and len(kept) < len(metadata):
        return Annotated[(py_type.__origin__, *kept)]
    return py_type.__origin__


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (WrapperTransformer(),)
