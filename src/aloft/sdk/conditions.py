"""Conditions for ``conditional``: comparisons of promises, joined with ``&`` and ``|``.

While a workflow is traced, ``p > 5``, ``p == q``, ``p.is_true()`` build a condition instead
of a bool. As in flytekit, ``and``, ``or`` and ``not`` cannot be overloaded, so conditions
are joined with ``&`` and ``|`` (in parentheses: ``(x > 1) & (x < 5)``); using a condition
as a Python bool is an error saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aloft.compiler import (
    Constant,
    OutputRef,
    TracedCheck,
    TracedComparison,
    TracedCondition,
    TracedConjunction,
)
from aloft.errors import CompileError, TypeTransformerError
from aloft.types import to_literal
from aloft.types.hash_method import declaring

if TYPE_CHECKING:
    from aloft.sdk.promise import Promise


class Condition:
    """A condition over promises, for ``if_`` and ``elif_``."""

    def traced(self) -> TracedCondition:
        """What the compiler sees."""
        raise NotImplementedError

    def __and__(self, other: Any) -> Condition:
        return Conjunction("and", self, _condition(other, "&"))

    def __or__(self, other: Any) -> Condition:
        return Conjunction("or", self, _condition(other, "|"))

    def __bool__(self) -> bool:
        raise CompileError(
            f"{self!r} is not known while the workflow is compiled: join conditions with & and "
            "| (not and / or), each comparison in parentheses, and pass them to conditional()"
        )


class Comparison(Condition):
    """``left operator right``; one side at least is a promise."""

    def __init__(self, operator: str, left: Any, right: Any) -> None:
        self.operator, self.left, self.right = operator, left, right

    def traced(self) -> TracedCondition:
        return TracedComparison(self.operator, _operand(self.left), _operand(self.right))

    def __repr__(self) -> str:
        return f"({self.left!r} {_SYMBOLS[self.operator]} {self.right!r})"


class Conjunction(Condition):
    """``left & right`` or ``left | right``."""

    def __init__(self, operator: str, left: Condition, right: Condition) -> None:
        self.operator, self.left, self.right = operator, left, right

    def traced(self) -> TracedCondition:
        return TracedConjunction(self.operator, self.left.traced(), self.right.traced())

    def __repr__(self) -> str:
        return f"({self.left!r} {'&' if self.operator == 'and' else '|'} {self.right!r})"


class Check(Condition):
    """``promise.is_true()``, ``.is_false()`` or ``.is_none()``."""

    def __init__(self, operator: str, promise: Promise) -> None:
        self.operator, self.promise = operator, promise

    def traced(self) -> TracedCondition:
        return TracedCheck(self.operator, self.promise.ref)

    def __repr__(self) -> str:
        return f"{self.promise!r}.{self.operator}()"


_SYMBOLS = {"eq": "==", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def _condition(value: Any, joined_with: str) -> Condition:
    if not isinstance(value, Condition):
        raise CompileError(
            f"{joined_with} joins conditions, not {value!r}; compare it, or use .is_true()"
        )
    return value


def _operand(value: Any) -> OutputRef | Constant:
    from aloft.sdk.promise import Promise

    if isinstance(value, Promise):
        return value.ref
    try:
        with declaring():
            return Constant(to_literal(value, type(value)))
    except TypeTransformerError as exc:
        raise CompileError(f"a condition cannot compare {value!r}: {exc}") from None
