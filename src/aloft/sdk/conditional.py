"""``conditional``: choose at run time which nodes of a workflow run.

As in flytekit::

    result = (
        conditional("size")
        .if_(x > 100).then(big(x=x))
        .elif_((x > 10) & (x <= 100)).then(medium(x=x))
        .else_().fail("x is too small")
    )

The nodes called inside ``then(...)`` belong to that case only. ``else_().then(...)`` or
``else_().fail(...)`` completes the conditional and returns its outputs (promises, as a
call of the cases' tasks would); a conditional without ``else_`` fails at run time when no
case holds, and gives no outputs. The cases taken and skipped are recorded with the node.
"""

from __future__ import annotations

from typing import Any, NoReturn

from aloft.compiler import OutputRef, TracedBinding, TracedBranch, TracedCase, TracedNode
from aloft.errors import CompileError
from aloft.sdk.conditions import Condition
from aloft.sdk.location import caller_location
from aloft.sdk.promise import NodeHandle, Promise
from aloft.sdk.tracing import GraphBuilder, active_builder


class ConditionalSection:
    """An open ``conditional(name)``: add cases with ``if_``, ``elif_`` and ``else_``."""

    def __init__(self, name: str) -> None:
        location = caller_location()
        builder = active_builder()
        if builder is None:
            raise CompileError(f"{location}: conditional() can only be used in a @workflow body")
        if not isinstance(name, str) or not name:
            raise CompileError(f"{location}: conditional() needs a name, got {name!r}")
        self._builder: GraphBuilder = builder
        self._branch = TracedBranch(name=name)
        self._node = TracedNode(
            id=builder.next_id(), name=name, target=self._branch, inputs={}, location=location
        )
        self._shape: Any = None  # what the first case gave, to shape the outputs alike
        self._complete = False
        builder.add(self._node)

    @property
    def name(self) -> str:
        """The conditional's name."""
        return self._branch.name

    def if_(self, condition: Condition) -> Case:
        """The first case: taken when ``condition`` holds."""
        if self._branch.cases:
            self._refuse("if_() comes first and once; add more cases with elif_()")
        return self._case(condition, "if_")

    def elif_(self, condition: Condition) -> Case:
        """Another case: taken when no earlier case holds and ``condition`` does."""
        if not self._branch.cases:
            self._refuse("elif_() must follow if_(...).then(...)")
        return self._case(condition, "elif_")

    def else_(self) -> Case:
        """The last case: taken when no other holds."""
        if not self._branch.cases:
            self._refuse("else_() must follow if_(...).then(...)")
        return self._case(None, "else_")

    def _case(self, condition: object, method: str) -> Case:
        location = caller_location()
        if self._complete:
            self._refuse(f"{method}() after else_(): the conditional is complete")
        if condition is not None and not isinstance(condition, Condition):
            self._refuse(
                f"{method}() needs a condition on promises (x > 1, (x > 1) & (y < 2), "
                f"flag.is_true()), got {condition!r}",
                location,
            )
        traced = condition.traced() if isinstance(condition, Condition) else None
        self._builder.open_case()
        return Case(self, TracedCase(condition=traced, nodes=[], location=location))

    def _close(self, case: TracedCase, value: Any, *, last: bool) -> Any:
        """Record ``case`` (its nodes were called since it opened); on the last, the outputs."""
        case.nodes = self._builder.close_case()
        if value is not None:
            case.outputs = _outputs_of(value, f"{case.location}: {self.name!r}.then()")
            if self._shape is None:
                self._shape = value
        self._branch.cases.append(case)
        if not last:
            return self
        self._complete = True
        return self._result()

    def _result(self) -> Any:
        """The conditional's outputs, shaped as the first case's value was."""
        outputs = self._branch.interface.outputs
        shape = self._shape
        handle = NodeHandle(self._node)
        promises = {
            name: Promise(self._node.id, name, _python_type(shape, name), handle)
            for name in outputs
        }
        handle._outputs = promises
        if not promises:
            return handle
        if isinstance(shape, tuple):
            values = [promises[name] for name in _names(shape)]
            return type(shape)(*values) if hasattr(shape, "_fields") else tuple(values)
        return next(iter(promises.values()))

    def _refuse(self, message: str, location: object = None) -> NoReturn:
        where = location or self._node.location
        raise CompileError(f"{where}: conditional {self.name!r}: {message}")


class Case:
    """A case of a conditional, open until ``then(...)`` or ``fail(...)``."""

    def __init__(self, section: ConditionalSection, case: TracedCase) -> None:
        self._section = section
        self._case = case

    def then(self, value: Any) -> Any:
        """What the case gives: the outputs of a call made in it (or a node, for none).

        Returns the conditional, to add more cases, or for ``else_()`` its outputs.
        """
        return self._section._close(self._case, value, last=self._case.condition is None)

    def fail(self, message: str) -> Any:
        """The case fails the node (and so the workflow) with ``message``."""
        if not isinstance(message, str) or not message:
            self._section._refuse("fail() needs a message", self._case.location)
        self._case.error = message
        return self._section._close(self._case, None, last=self._case.condition is None)


def conditional(name: str) -> ConditionalSection:
    """Start a conditional named ``name`` in a workflow body (see the module docstring)."""
    return ConditionalSection(name)


def _outputs_of(value: Any, where: str) -> dict[str, TracedBinding]:
    """The output bindings a case gives: promises of one node (a value, or a tuple)."""
    if isinstance(value, NodeHandle):
        return {}
    values = value if isinstance(value, tuple) else (value,)
    if not all(isinstance(v, Promise) for v in values):
        raise CompileError(f"{where} takes what a call in the case returns, not {value!r}")
    outputs: dict[str, TracedBinding] = {}
    for name, promise in zip(_names(value), values, strict=True):
        ref: OutputRef = promise.ref
        outputs[name] = ref
    return outputs


def _names(value: Any) -> list[str]:
    """The output names a case's value is given under: the fields of a NamedTuple, else
    ``o0``, ``o1``, ... as for a task's outputs."""
    if isinstance(value, tuple):
        return (
            list(value._fields)
            if hasattr(value, "_fields")
            else [f"o{i}" for i in range(len(value))]
        )
    return ["o0"]


def _python_type(shape: Any, name: str) -> Any:
    values = shape if isinstance(shape, tuple) else (shape,)
    for output, value in zip(_names(shape), values, strict=True):
        if output == name and isinstance(value, Promise):
            return value.python_type
    return Any
