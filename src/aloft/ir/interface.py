"""Typed interfaces: the named inputs and outputs of a task or workflow."""

from __future__ import annotations

import msgspec

from aloft.ir.base import IRModel
from aloft.ir.literals import Literal
from aloft.ir.types import LiteralType


class Variable(IRModel, frozen=True):
    """One input or output. Only inputs carry a ``default``."""

    type: LiteralType
    description: str = ""
    default: Literal | None = None


class TypedInterface(IRModel, frozen=True):
    """Inputs and outputs by name, in declaration order."""

    inputs: dict[str, Variable] = msgspec.field(default_factory=dict)
    outputs: dict[str, Variable] = msgspec.field(default_factory=dict)
