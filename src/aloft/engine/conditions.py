"""Evaluating a branch node's conditions over its input literals.

Conditions compare primitive values only (numbers, strings, booleans, dates, times and
durations, any of them optional), as in Flyte; a value wrapped as a union variant is
compared as the value it holds. ``None`` equals only ``None`` and orders against nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from aloft.errors import AloftError
from aloft.ir import (
    BooleanValue,
    Check,
    CheckOperator,
    ComparisonOperator,
    Condition,
    Conjunction,
    ConjunctionOperator,
    DatetimeValue,
    DateValue,
    DurationValue,
    FloatValue,
    HashedValue,
    IntegerValue,
    Literal,
    NoneValue,
    Operand,
    StringValue,
    UnionValue,
)

_COMPARE: dict[ComparisonOperator, Callable[[Any, Any], bool]] = {
    ComparisonOperator.EQ: operator.eq,
    ComparisonOperator.NE: operator.ne,
    ComparisonOperator.GT: operator.gt,
    ComparisonOperator.GE: operator.ge,
    ComparisonOperator.LT: operator.lt,
    ComparisonOperator.LE: operator.le,
}
_PRIMITIVES = (
    IntegerValue,
    FloatValue,
    StringValue,
    BooleanValue,
    DatetimeValue,
    DateValue,
    DurationValue,
)
_SYMBOLS = {"eq": "==", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


class ConditionError(AloftError):
    """A condition cannot be evaluated on the values it was given."""


def holds(condition: Condition, inputs: dict[str, Literal]) -> bool:
    """Whether ``condition`` is true of the branch node's ``inputs``."""
    if isinstance(condition, Conjunction):
        if condition.operator is ConjunctionOperator.AND:
            return holds(condition.left, inputs) and holds(condition.right, inputs)
        return holds(condition.left, inputs) or holds(condition.right, inputs)
    if isinstance(condition, Check):
        value = _value(condition.operand, inputs)
        if condition.operator is CheckOperator.IS_NONE:
            return value is None
        if not isinstance(value, bool):
            raise ConditionError(f"{condition.operator.value}() needs a bool, got {value!r}")
        return value is (condition.operator is CheckOperator.IS_TRUE)
    left, right = _value(condition.left, inputs), _value(condition.right, inputs)
    try:
        return _COMPARE[condition.operator](left, right)
    except TypeError:
        symbol = _SYMBOLS[condition.operator.value]
        raise ConditionError(f"cannot compare {left!r} {symbol} {right!r}") from None


def _value(operand: Operand, inputs: dict[str, Literal]) -> Any:
    literal = operand.value if operand.value is not None else inputs.get(operand.var)
    if literal is None:
        raise ConditionError(f"the condition reads {operand.var!r}, which the node was not given")
    while isinstance(literal, UnionValue | HashedValue):
        literal = literal.value
    if isinstance(literal, NoneValue):
        return None
    if not isinstance(literal, _PRIMITIVES):
        raise ConditionError(f"conditions compare primitive values, not {type(literal).__name__}")
    return literal.number if isinstance(literal, FloatValue) else literal.value
