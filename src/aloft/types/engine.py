"""The type engine: a registry of transformers and the dispatch from Python types to them.

Every conversion starts by finding the transformer that owns a Python annotation. Transformers
are asked in reverse registration order (the latest registered first, so a user's transformer
wins over a built-in one) and the first whose ``handles`` says yes owns the type. The answer is
cached per annotation, so converting a value costs one dict lookup plus the transformer's own
work; registering a transformer clears every cache.

The built-in transformers (one module per family: primitives, temporal, containers, unions,
enums, dataclasses, pydantic models, Annotated/NewType) are loaded on first use, not at import.

How to add a new type
---------------------
1. Subclass :class:`~aloft.types.TypeTransformer` and fill in ``name``, ``handles``,
   ``literal_type``, ``to_literal`` and ``to_python``; override ``from_json_value`` or
   ``parse_text`` if the default JSON reading does not fit the type's command-line form.
   For a type that contains others, convert the parts with :func:`to_literal`,
   :func:`to_python` and :func:`literal_type_of` of this module, and prefix their errors
   with where they are (``messages.at("item 2", error)``).
2. Raise ``TypeTransformerError`` built with :func:`aloft.types.messages.mismatch` (and its
   siblings) so the message says what was expected and what was found.
3. Call ``register_transformer(MyTransformer())``, or, for a built-in family, add it to
   ``_load_builtins`` below and give it a test module in ``tests/unit/types/``.
4. Keep anything derived from other types' transformers in a dict from :func:`new_cache`,
   which is cleared whenever a transformer is registered.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import HashedValue, Literal, LiteralType, OffloadedValue
from aloft.storage import load_offloaded
from aloft.types.messages import python_type_name
from aloft.types.transformer import TypeTransformer

_lock = threading.RLock()
_user: list[TypeTransformer[Any]] = []
_builtins: list[TypeTransformer[Any]] = []
_builtins_loaded = False
_search_order: tuple[TypeTransformer[Any], ...] = ()
_owners: dict[Any, TypeTransformer[Any]] = {}
_literal_types: dict[Hashable, LiteralType] = {}
_derived_caches: list[dict[Any, Any]] = [_owners, _literal_types]
_resolving = threading.local()


def register_transformer(transformer: TypeTransformer[Any]) -> None:
    """Add a transformer; it is asked before every transformer registered earlier."""
    if not isinstance(transformer, TypeTransformer):
        raise TypeError(f"expected a TypeTransformer, got {type(transformer).__name__}")
    with _lock:
        _user.append(transformer)
        _rebuild_search_order()


def new_cache() -> dict[Any, Any]:
    """A dict for values derived from transformers, cleared when a transformer is registered."""
    cache: dict[Any, Any] = {}
    with _lock:
        _derived_caches.append(cache)
    return cache


def transformer_for(py_type: Any) -> TypeTransformer[Any]:
    """The transformer that owns ``py_type``; raises ``TypeTransformerError`` if none does."""
    try:
        return _owners[py_type]
    except KeyError:
        pass
    except TypeError:  # unhashable annotation, e.g. Annotated[int, {"a": 1}]
        return _find(py_type)
    owner = _find(py_type)
    _owners[py_type] = owner
    return owner


def literal_type_of(py_type: Any) -> LiteralType:
    """The literal type of a Python annotation; raises ``TypeTransformerError`` if unsupported."""
    try:
        key = type_key(py_type)
    except TypeError:
        return transformer_for(py_type).literal_type(py_type)
    cached = _literal_types.get(key)
    if cached is not None:
        return cached
    resolving: set[Hashable] | None = getattr(_resolving, "keys", None)
    if resolving is None:
        resolving = _resolving.keys = set()
    if key in resolving:
        raise TypeTransformerError(f"recursive type {python_type_name(py_type)} is not supported")
    resolving.add(key)
    try:
        literal_type = transformer_for(py_type).literal_type(py_type)
    finally:
        resolving.discard(key)
    _literal_types[key] = literal_type
    return literal_type


def to_literal(value: Any, py_type: Any) -> Literal:
    """Encode a Python value of type ``py_type`` as a literal."""
    try:
        owner = _owners[py_type]
    except (KeyError, TypeError):
        owner = transformer_for(py_type)
    return owner.to_literal(value, py_type)


def to_python(literal: Literal, py_type: Any) -> Any:
    """Decode a literal into a Python value of type ``py_type``.

    A value with a user-chosen hash is decoded as the value it wraps, and a literal offloaded
    to the blob store is read back first, so transformers never see either wrapper.
    """
    if isinstance(literal, HashedValue):
        literal = literal.value
    if isinstance(literal, OffloadedValue):
        literal = load_offloaded(literal)
    try:
        owner = _owners[py_type]
    except (KeyError, TypeError):
        owner = transformer_for(py_type)
    return owner.to_python(literal, py_type)


def from_json_value(data: Any, py_type: Any) -> Any:
    """Build a value of ``py_type`` from JSON-decoded data (used inside command-line values)."""
    return transformer_for(py_type).from_json_value(data, py_type)


def parse_cli_value(text: str, py_type: Any) -> Any:
    """Parse a command-line string into a value of ``py_type``.

    Scalars take their plain form (``42``, ``true``, ``2024-01-31``, ``PT1H``, an enum member's
    name); lists, dicts, dataclasses and pydantic models take JSON. Errors say what was
    expected and what was given (``expected int, got 'abc'``); the caller adds the input name.
    """
    return transformer_for(py_type).parse_text(text, py_type)


def struct_fields(py_type: Any) -> dict[str, Any] | None:
    """Field name to annotation for a record type (dataclass, pydantic model); None otherwise."""
    try:
        owner = transformer_for(py_type)
    except TypeTransformerError:
        return None
    return owner.struct_fields(py_type)


def type_key(py_type: Any) -> Hashable:
    """A cache key for an annotation that, unlike ``==``, respects the order of Union variants.

    ``typing`` treats ``Union[int, str] == Union[str, int]``, but their literal types list the
    variants in declaration order. Raises ``TypeError`` for an unhashable annotation.
    """
    if isinstance(py_type, type):
        return py_type
    origin = get_origin(py_type)
    if origin is None:
        hash(py_type)
        key: Hashable = py_type
        return key
    return (origin, *(type_key(arg) for arg in get_args(py_type)))


def _find(py_type: Any) -> TypeTransformer[Any]:
    if not _builtins_loaded:
        _load_builtins()
    for transformer in _search_order:
        if transformer.handles(py_type):
            return transformer
    supported = ", ".join(reversed([t.name for t in _search_order if t.name]))
    raise TypeTransformerError(
        f"type {py_type!r} is not supported; supported: {supported} "
        "(or register a TypeTransformer for it)"
    )


def _rebuild_search_order() -> None:
    global _search_order
    _search_order = (*reversed(_user), *reversed(_builtins))
    for cache in _derived_caches:
        cache.clear()


def _load_builtins() -> None:
    global _builtins, _builtins_loaded
    with _lock:
        if _builtins_loaded:
            return
        from aloft.types import (
            arrays,
            batches,
            containers,
            dataclasses,
            directories,
            enums,
            files,
            iterators,
            pickles,
            primitives,
            pydantic_models,
            structured,
            temporal,
            unions,
            wrappers,
        )

        _builtins = [
            *pickles.TRANSFORMERS,  # first: asked last, for types nothing else owns
            *primitives.TRANSFORMERS,
            *temporal.TRANSFORMERS,
            *containers.TRANSFORMERS,
            *iterators.TRANSFORMERS,
            *unions.TRANSFORMERS,
            *enums.TRANSFORMERS,
            *dataclasses.TRANSFORMERS,
            *pydantic_models.TRANSFORMERS,
            *files.TRANSFORMERS,
            *directories.TRANSFORMERS,
            *wrappers.TRANSFORMERS,
            *batches.TRANSFORMERS,  # after wrappers, so asked before it: Annotated[list, BatchSize]
            # after wrappers, so asked before it: they own Annotated[T, columns/format/options]
            *structured.TRANSFORMERS,
            *arrays.TRANSFORMERS,
        ]
        _rebuild_search_order()
        _builtins_loaded = True  # last: other threads check it without the lock
