"""``HashMethod``: the user chooses the cache hash of a value (flytekit's ``HashMethod``).

``Annotated[T, HashMethod(fn)]`` encodes a value as ``T`` does and wraps the literal in a
``HashedValue`` whose hash is ``str(fn(value))``. The literal type stays ``T``'s (the compiler
never sees the annotation), and decoding unwraps the ``HashedValue`` before ``T``'s transformer
sees it. Caches and lineage then key the value by the user's hash instead of its content::

    def frame_digest(df: pd.DataFrame) -> str:
        return str(pd.util.hash_pandas_object(df).sum())

    @task(cache=True, cache_version="1")
    def clean(df: Annotated[pd.DataFrame, HashMethod(frame_digest)]) -> ...

While a value with a user hash is encoded, :func:`user_hash_in_force` is true, so transformers
can skip work that only serves to hash (a remote file's fingerprint, for one). So is it while
values written in code are encoded (:func:`declaring`: defaults, constants in a workflow body,
launch plan inputs), so that importing a module touches no store: a remote file, folder or
table declared there is keyed by its URI alone, as flytekit keys it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any, Generic, TypeVar, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.types.messages import python_type_name

T = TypeVar("T")


class HashMethod(Generic[T]):
    """Wraps the function that computes a value's hash: ``Annotated[T, HashMethod(fn)]``.

    Args:
        function: Called with the Python value; its result, as a string, is the hash.
    """

    def __init__(self, function: Callable[[T], Any]) -> None:
        if not callable(function):
            raise TypeError(f"HashMethod needs a function, got {type(function).__name__}")
        self._function = function

    def calculate(self, obj: T) -> str:
        """The hash of ``obj``: ``str(function(obj))``."""
        return str(self._function(obj))

    def __repr__(self) -> str:
        name = getattr(self._function, "__qualname__", repr(self._function))
        return f"HashMethod({name})"


def hash_method_of(py_type: Any) -> HashMethod[Any] | None:
    """The ``HashMethod`` in an ``Annotated`` type's metadata (the first one), or None."""
    if get_origin(py_type) is not Annotated:
        return None
    for metadata in get_args(py_type)[1:]:
        if isinstance(metadata, HashMethod):
            return metadata
    return None


def user_hash(method: HashMethod[Any], value: Any, py_type: Any) -> str:
    """Run ``method`` on ``value``; a failure becomes a ``TypeTransformerError`` saying so."""
    try:
        return method.calculate(value)
    except Exception as exc:
        raise TypeTransformerError(
            f"{method!r} failed on a value of {python_type_name(py_type)}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


_in_force: ContextVar[bool] = ContextVar("aloft_user_hash", default=False)
_declaring: ContextVar[bool] = ContextVar("aloft_declaring", default=False)


@contextmanager
def user_hash_scope() -> Iterator[None]:
    """Mark the block as encoding a value whose hash the user supplies."""
    token = _in_force.set(True)
    try:
        yield
    finally:
        _in_force.reset(token)


@contextmanager
def declaring() -> Iterator[None]:
    """Mark the block as encoding values written in code, when a module is imported: remote
    data is recorded by its URI, without asking the store about it."""
    token = _declaring.set(True)
    try:
        yield
    finally:
        _declaring.reset(token)


def user_hash_in_force() -> bool:
    """Whether the value being encoded needs no hash of the store's: it gets one from a
    ``HashMethod``, or it is declared in code (:func:`declaring`)."""
    return _in_force.get() or _declaring.get()
