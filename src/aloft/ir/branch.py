"""Branch nodes: conditions over a node's inputs, and the cases a conditional chooses from.

A branch node (``aloft.ir.workflow.BranchTarget``) has as inputs the values its conditions
and its cases read from outside; each case runs a workflow of its own over those inputs (or
fails with a message). The engine takes the first case whose condition holds; a case without
a condition is the ``else``.
"""

from __future__ import annotations

from enum import StrEnum

from aloft.ir.base import IRModel
from aloft.ir.identifiers import Identifier
from aloft.ir.literals import Literal


class Operand(IRModel, frozen=True):
    """A value a condition reads: the branch node's input ``var``, or the constant ``value``."""

    var: str = ""
    value: Literal | None = None


class ComparisonOperator(StrEnum):
    """How a comparison relates its two operands."""

    EQ = "eq"
    NE = "ne"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"


class ConjunctionOperator(StrEnum):
    """How a conjunction joins its two conditions."""

    AND = "and"
    OR = "or"


class CheckOperator(StrEnum):
    """What a check asks of one value."""

    IS_TRUE = "is_true"
    IS_FALSE = "is_false"
    IS_NONE = "is_none"


class _ExpressionBase(IRModel, frozen=True, tag_field="kind"):
    pass


class Comparison(_ExpressionBase, frozen=True, tag="comparison"):
    """``left op right`` over primitive values."""

    operator: ComparisonOperator
    left: Operand
    right: Operand


class Conjunction(_ExpressionBase, frozen=True, tag="conjunction"):
    """``left & right`` or ``left | right``."""

    operator: ConjunctionOperator
    left: Condition
    right: Condition


class Check(_ExpressionBase, frozen=True, tag="check"):
    """``p.is_true()``, ``p.is_false()`` or ``p.is_none()``."""

    operator: CheckOperator
    operand: Operand


Condition = Comparison | Conjunction | Check


class BranchCase(IRModel, frozen=True):
    """One case of a conditional: taken when ``condition`` holds (always, if it has none);
    it runs ``workflow``, or fails the node with ``error`` (``.fail(message)``)."""

    condition: Condition | None = None
    workflow: Identifier | None = None
    error: str = ""
