"""``TypeEngine``: flytekit's registry of transformers, adapted onto aloft's.

``TypeEngine.register(MyTransformer())`` wraps the flytekit-style transformer in an aloft
transformer and registers that (it is asked before the built-in ones). The wrapper hands
the user's code flytekit's models and a ``FlyteContext``, and turns what it returns into
aloft literals, checking it against the literal type the transformer declared: a
transformer that returns the wrong kind of literal, points at data that is not there, or
fails is one ``TypeTransformerError`` naming it and where it is defined.

The other ``TypeEngine`` methods (``to_literal``, ``to_python_value``, ``to_literal_type``,
``guess_python_type``) work on any type aloft supports, so a transformer can convert the
parts of its value with them, as flytekit's do.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import threading
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from aloft import ir
from aloft.compat.context import FlyteContext, FlyteContextManager
from aloft.compat.file_access import stored_hash
from aloft.compat.literal_translation import from_model_literal, to_model_literal
from aloft.compat.literal_types import LiteralType
from aloft.compat.literals import Literal
from aloft.compat.type_transformer import TypeTransformer, TypeTransformerFailedError
from aloft.compat.type_translation import from_model_type, to_model_type
from aloft.errors import TypeTransformerError
from aloft.sdk.location import location
from aloft.types import TypeTransformer as AloftTransformer
from aloft.types import literal_type_of, register_transformer, to_literal, to_python
from aloft.types.hash_method import user_hash_in_force

T = TypeVar("T")


class TypeEngine:
    """Transformers by the Python type they handle, with flytekit's class methods."""

    _REGISTRY: typing.ClassVar[dict[Any, TypeTransformer[Any]]] = {}
    _lock = threading.Lock()

    @classmethod
    def register(
        cls, transformer: TypeTransformer[Any], additional_types: list[Any] | None = None
    ) -> None:
        """Use ``transformer`` for its ``python_type`` (and ``additional_types``).

        Raises:
            TypeError: ``transformer`` is not a ``TypeTransformer``.
            ValueError: another transformer class already handles one of the types.
        """
        if not isinstance(transformer, TypeTransformer):
            raise TypeError(
                f"TypeEngine.register takes a TypeTransformer, got {type(transformer).__name__}"
            )
        types = (transformer.python_type, *(additional_types or ()))
        with cls._lock:
            for t in types:
                existing = cls._REGISTRY.get(t)
                if existing is not None and _class_name(existing) != _class_name(transformer):
                    raise ValueError(
                        f"Transformer {existing.name} for type {t} is already registered; "
                        f"cannot register {transformer.name} for it too"
                    )
            cls._add(transformer, types)

    @classmethod
    def register_additional_type(
        cls, transformer: TypeTransformer[Any], additional_type: Any, override: bool = False
    ) -> None:
        """Use ``transformer`` for ``additional_type`` too (replacing another if ``override``)."""
        with cls._lock:
            if additional_type not in cls._REGISTRY or override:
                cls._add(transformer, (additional_type,))

    @classmethod
    def _add(cls, transformer: TypeTransformer[Any], types: tuple[Any, ...]) -> None:
        for t in types:
            cls._REGISTRY[t] = transformer
        register_transformer(_Adapter(transformer, types))

    @classmethod
    def get_transformer(cls, python_type: Any) -> TypeTransformer[Any]:
        """The transformer of ``python_type``: a registered one, else a view of aloft's own."""
        for t, transformer in cls._REGISTRY.items():
            if _owns(t, python_type):
                return transformer
        literal_type_of(python_type)  # raises TypeTransformerError if aloft has no transformer
        return _Builtin(python_type)

    @classmethod
    def to_literal_type(cls, python_type: Any) -> LiteralType:
        """The flytekit ``LiteralType`` of ``python_type``."""
        return to_model_type(literal_type_of(python_type))

    @classmethod
    def to_literal(
        cls,
        ctx: FlyteContext,
        python_val: Any,
        python_type: Any,
        expected: LiteralType | None = None,
    ) -> Literal:
        """``python_val`` (of ``python_type``) as a flytekit ``Literal``."""
        try:
            return to_model_literal(to_literal(python_val, python_type))
        except TypeTransformerError as exc:
            raise TypeTransformerFailedError(str(exc)) from None

    @classmethod
    def to_python_value(cls, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """The value of ``expected_python_type`` that flytekit ``Literal`` ``lv`` holds."""
        expected = literal_type_of(expected_python_type)
        try:
            literal = from_model_literal(lv, expected, _hasher(ctx, "TypeEngine"))
            return to_python(literal, expected_python_type)
        except TypeTransformerError as exc:
            raise TypeTransformerFailedError(str(exc)) from None

    @classmethod
    def guess_python_type(cls, flyte_type: LiteralType) -> Any:
        """The Python type of a flytekit ``LiteralType``; ``ValueError`` if none fits."""
        for transformer in cls._REGISTRY.values():
            try:
                return transformer.guess_python_type(flyte_type)
            except ValueError:
                continue
        return _guess(from_model_type(flyte_type))

    @classmethod
    def literal_map_to_kwargs(
        cls, ctx: FlyteContext, lm: Any, python_types: dict[str, Any]
    ) -> dict[str, Any]:
        """A ``LiteralMap``'s values, decoded as ``python_types`` by name."""
        return {
            name: cls.to_python_value(ctx, lm.literals[name], py_type)
            for name, py_type in python_types.items()
        }


class _Adapter(AloftTransformer[Any]):
    """One flytekit-style transformer, as an aloft transformer for ``types``."""

    def __init__(self, transformer: TypeTransformer[Any], types: tuple[Any, ...]) -> None:
        self.transformer = transformer
        self.types = types
        self.name = transformer.name

    @functools.cached_property
    def who(self) -> str:
        """The transformer and where its class is written, for messages (reading the source
        to find the line costs milliseconds: only a message pays for it)."""
        return f"transformer {self.transformer.name!r} ({_defined_at(self.transformer)})"

    def handles(self, py_type: Any) -> bool:
        return any(_owns(t, py_type) for t in self.types)

    def literal_type(self, py_type: Any) -> ir.LiteralType:
        model = self._call("get_literal_type", self.transformer.get_literal_type, py_type)
        try:
            return from_model_type(model)
        except TypeTransformerError as exc:
            raise TypeTransformerError(f"{self.who}: get_literal_type returned {exc}") from None

    def to_literal(self, value: Any, py_type: Any) -> ir.Literal:
        expected = literal_type_of(py_type)  # the engine's cache: get_literal_type ran once
        ctx = FlyteContextManager.current_context()
        if self.transformer.type_assertions_enabled:
            self._call("assert_type", self.transformer.assert_type, py_type, value)
        model = self._call(
            "to_literal", self.transformer.to_literal, ctx, value, py_type, to_model_type(expected)
        )
        try:
            return from_model_literal(model, expected, _hasher(ctx, self.who))
        except TypeTransformerError as exc:
            raise TypeTransformerError(f"{self.who}: to_literal returned {exc}") from None

    def to_python(self, literal: ir.Literal, py_type: Any) -> Any:
        ctx = FlyteContextManager.current_context()
        model = to_model_literal(literal)
        return self._call("to_python_value", self.transformer.to_python_value, ctx, model, py_type)

    def _call(self, method: str, function: Callable[..., T], *args: Any) -> T:
        try:
            return function(*args)
        except TypeTransformerFailedError as exc:
            raise TypeTransformerError(f"{self.who}: {exc}") from None
        except Exception as exc:
            raise TypeTransformerError(
                f"{self.who}: {method} failed: {type(exc).__name__}: {exc}"
            ) from exc


class _Builtin(TypeTransformer[Any]):
    """A type aloft converts itself, seen through flytekit's transformer methods."""

    def __init__(self, python_type: Any) -> None:
        super().__init__(name=str(python_type), t=python_type)

    def get_literal_type(self, t: Any) -> LiteralType:
        return TypeEngine.to_literal_type(t)

    def to_literal(
        self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType
    ) -> Literal:
        return TypeEngine.to_literal(ctx, python_val, python_type, expected)

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        return TypeEngine.to_python_value(ctx, lv, expected_python_type)


def _hasher(ctx: FlyteContext, who: str) -> Callable[[str], str]:
    """The content hash of data a literal points at: the digest of what ``ctx`` uploaded
    there, else the store's fingerprint of it (none when a ``HashMethod`` gives the hash)."""

    def hash_of(uri: str) -> str:
        uploaded = ctx.file_access.uploaded_hash(uri)
        if uploaded is not None:
            return uploaded
        if user_hash_in_force():
            return ""
        try:
            return stored_hash(uri)
        except FileNotFoundError:
            raise TypeTransformerError(f"{who}: nothing is stored at {uri}") from None

    return hash_of


def _owns(registered: Any, py_type: Any) -> bool:
    """Whether a transformer registered for ``registered`` handles ``py_type`` (the type
    itself, a generic form of it, or a subclass), as flytekit looks transformers up."""
    try:
        if py_type == registered:
            return True
    except TypeError:  # pragma: no cover - an annotation that cannot be compared
        return False
    origin = typing.get_origin(py_type)
    if origin is not None and origin is not typing.Annotated:
        return bool(origin == registered)
    return (
        isinstance(py_type, type)
        and isinstance(registered, type)
        and issubclass(py_type, registered)
    )


def _guess(literal_type: ir.LiteralType) -> Any:
    from aloft.types.directories import FlyteDirectory
    from aloft.types.files import FlyteFile
    from aloft.types.structured import StructuredDataset

    simple = {
        ir.SimpleKind.NONE: type(None),
        ir.SimpleKind.INTEGER: int,
        ir.SimpleKind.FLOAT: float,
        ir.SimpleKind.STRING: str,
        ir.SimpleKind.BOOLEAN: bool,
        ir.SimpleKind.DATETIME: datetime.datetime,
        ir.SimpleKind.DATE: datetime.date,
        ir.SimpleKind.DURATION: datetime.timedelta,
        ir.SimpleKind.BINARY: bytes,
    }
    match literal_type:
        case ir.SimpleType(simple=kind):
            return simple[kind]
        case ir.CollectionType(element=element):
            return list[_guess(element)]  # type: ignore[misc]
        case ir.MapType(value=value):
            return dict[str, _guess(value)]  # type: ignore[misc]
        case ir.BlobType(dimensionality=ir.BlobDimensionality.SINGLE):
            return FlyteFile
        case ir.BlobType():
            return FlyteDirectory
        case ir.StructuredDatasetType():
            return StructuredDataset
    raise ValueError(f"no Python type is known for {ir.describe(literal_type)}")


def _defined_at(transformer: object) -> str:
    cls = type(transformer)
    try:
        file = inspect.getsourcefile(cls) or ""
        line = inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return cls.__qualname__
    return f"{cls.__qualname__} at {location(file, line).display}"


def _class_name(value: object) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"
