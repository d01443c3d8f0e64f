"""Promises: the stand-ins for values while a workflow body is traced.

Calling a task inside ``@workflow`` returns promises of its outputs instead of running it.
A promise can be passed to other calls, selected into (``p.field``, ``p[0]``, ``p["k"]``),
compared into a condition for ``conditional`` (``p > 5``, ``p.is_true()``), ordered with
``>>`` and given per-node overrides with ``with_overrides``.
"""

from __future__ import annotations

import typing
from typing import Any

from aloft.compiler import OutputRef, TracedNode
from aloft.errors import CompileError
from aloft.ir import START_NODE
from aloft.sdk.conditions import Check, Comparison
from aloft.sdk.location import caller_location
from aloft.sdk.overrides import apply_overrides
from aloft.types import literal_type_of, python_type_name, struct_fields


class NodeHandle:
    """A node created in a workflow body: what ``create_node`` returns and what a call of a
    task without outputs returns. Its outputs are attributes: ``node.o0``."""

    __slots__ = ("_node", "_outputs")

    def __init__(self, node: TracedNode, outputs: dict[str, Promise] | None = None) -> None:
        self._node = node
        self._outputs = outputs or {}

    @property
    def id(self) -> str:
        """The node id in its workflow (``n0``, ``n1``, ...)."""
        return self._node.id

    @property
    def outputs(self) -> dict[str, Promise]:
        """The node's outputs by name (an unknown name is a ``CompileError`` naming them)."""
        return _Outputs(self._node, self._outputs)

    def __getattr__(self, name: str) -> Promise:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._outputs[name]
        except KeyError:
            raise AttributeError(
                f"node {self._node.id} ({self._node.name}) has no output {name!r}; "
                f"its outputs are {', '.join(self._outputs) or 'none'}"
            ) from None

    def runs_before(self, other: Any) -> None:
        """Order this node before ``other`` without passing data."""
        node_of(other).after.append(self._node.id)

    def __rshift__(self, other: Any) -> Any:
        self.runs_before(other)
        return other

    def with_overrides(self, **overrides: Any) -> NodeHandle:
        """Replace the task's settings for this node only (retries, timeout, requests, ...)."""
        apply_overrides(self._node, overrides)
        return self

    def __repr__(self) -> str:
        return f"<node {self._node.id}: {self._node.name}>"


VoidPromise = NodeHandle


class _Outputs(dict[str, "Promise"]):
    """A node's outputs by name; asking for one it does not have names those it has."""

    def __init__(self, node: TracedNode, outputs: dict[str, Promise]) -> None:
        super().__init__(outputs)
        self._node = node

    def __missing__(self, name: str) -> Promise:
        raise CompileError(
            f"{caller_location()}: node {self._node.id} ({self._node.name}) has no output "
            f"{name!r}; its outputs are {', '.join(self) or 'none'}"
        )


class Promise:
    """A typed reference to a node output (or workflow input) not computed yet."""

    __slots__ = ("_handle", "_node_id", "_output", "_path", "_py_type")

    def __init__(
        self,
        node_id: str,
        output: str,
        py_type: Any,
        handle: NodeHandle | None = None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        self._node_id = node_id
        self._output = output
        self._py_type = py_type
        self._handle = handle
        self._path = path

    @property
    def ref(self) -> OutputRef:
        """The compiler's view of this promise."""
        return OutputRef(
            node=self._node_id,
            output=self._output,
            type=literal_type_of(self._py_type),
            path=self._path,
        )

    @property
    def python_type(self) -> Any:
        """The Python type of the promised value."""
        return self._py_type

    def _describe(self) -> str:
        path = "".join(f"[{s!r}]" if isinstance(s, int) else f".{s}" for s in self._path)
        if self._node_id == START_NODE:
            return f"workflow input {self._output}{path}"
        return f"output {self._output}{path} of node {self._node_id}"

    def _select(self, step: str | int, py_type: Any) -> Promise:
        return Promise(self._node_id, self._output, py_type, self._handle, (*self._path, step))

    def __getattr__(self, name: str) -> Promise:
        if name.startswith("_"):
            raise AttributeError(name)
        fields = struct_fields(self._py_type)
        if fields is None or name not in fields:
            raise CompileError(
                f"{caller_location()}: {self._describe()} is a "
                f"{python_type_name(self._py_type)}, which has no attribute {name!r}"
            )
        return self._select(name, fields[name])

    def __getitem__(self, key: str | int) -> Promise:
        origin = typing.get_origin(self._py_type)
        args = typing.get_args(self._py_type)
        if origin is list and isinstance(key, int) and args:
            return self._select(key, args[0])
        if origin is dict and isinstance(key, str) and len(args) == 2:
            return self._select(key, args[1])
        raise CompileError(
            f"{caller_location()}: cannot index {self._describe()} "
            f"({python_type_name(self._py_type)}) with {key!r}"
        )

    def __eq__(self, other: object) -> Comparison:  # type: ignore[override]
        return Comparison("eq", self, other)

    def __ne__(self, other: object) -> Comparison:  # type: ignore[override]
        return Comparison("ne", self, other)

    def __gt__(self, other: object) -> Comparison:
        return Comparison("gt", self, other)

    def __ge__(self, other: object) -> Comparison:
        return Comparison("ge", self, other)

    def __lt__(self, other: object) -> Comparison:
        return Comparison("lt", self, other)

    def __le__(self, other: object) -> Comparison:
        return Comparison("le", self, other)

    def __hash__(self) -> int:
        return id(self)

    def is_true(self) -> Check:
        """A condition: this bool promise is true."""
        return Check("is_true", self)

    def is_false(self) -> Check:
        """A condition: this bool promise is false."""
        return Check("is_false", self)

    def is_none(self) -> Check:
        """A condition: this optional promise is None."""
        return Check("is_none", self)

    def __bool__(self) -> bool:
        raise CompileError(
            f"{caller_location()}: {self._describe()} is not known while the workflow is "
            "compiled, so it cannot be used in an if or a loop condition; use conditional() "
            "or a @dynamic workflow"
        )

    def __iter__(self) -> typing.Iterator[Any]:
        raise CompileError(
            f"{caller_location()}: cannot iterate over {self._describe()} while the workflow "
            "is compiled (nor unpack it); use map_task or a @dynamic workflow, or return a "
            "NamedTuple from the task to name its outputs"
        )

    def _no_arithmetic(self, *_: Any) -> Any:
        raise CompileError(
            f"{caller_location()}: {self._describe()} is not known while the workflow is "
            "compiled, so it cannot be computed with; do the arithmetic in a task"
        )

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _no_arithmetic
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _no_arithmetic
    __mod__ = __rmod__ = __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _no_arithmetic
    __neg__ = __pos__ = __abs__ = _no_arithmetic

    def __rshift__(self, other: Any) -> Any:
        return self._node_handle().__rshift__(other)

    def runs_before(self, other: Any) -> None:
        """Order this promise's node before ``other``."""
        self._node_handle().runs_before(other)

    def with_overrides(self, **overrides: Any) -> Promise:
        """Replace the task's settings for the node producing this promise."""
        self._node_handle().with_overrides(**overrides)
        return self

    def _node_handle(self) -> NodeHandle:
        if self._handle is None:
            raise CompileError(f"{self._describe()} is not produced by a node")
        return self._handle

    def __repr__(self) -> str:
        return f"<Promise {self._describe()}: {python_type_name(self._py_type)}>"


def node_of(value: Any) -> TracedNode:
    """The traced node behind a node handle, a promise, or a tuple of a node's promises."""
    if isinstance(value, NodeHandle):
        return value._node
    if isinstance(value, Promise):
        return value._node_handle()._node
    if isinstance(value, tuple) and value and isinstance(value[0], Promise):
        return node_of(value[0])
    raise CompileError(f"cannot order a node before {value!r}: not a node or a promise")
