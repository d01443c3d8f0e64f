"""Kubernetes resource quantities: CPU in millicores and memory in bytes, both as integers,
so that what is taken and given back never drifts."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?P<suffix>[a-zA-Z]*)")

_CPU_SUFFIXES = {"": Decimal(1000), "m": Decimal(1)}
_MEMORY_SUFFIXES = {
    "": Decimal(1),
    **{unit: Decimal(1000**power) for power, unit in enumerate("kMGTPE", 1)},
    **{f"{unit}i": Decimal(1024**power) for power, unit in enumerate("KMGTPE", 1)},
}


class QuantityError(ValueError):
    """A resource quantity is not valid Kubernetes quantity notation."""


def parse_cpu(value: str) -> int:
    """``"2"``, ``"0.5"`` or ``"500m"`` as millicores; raises ``QuantityError``."""
    return _parse(value, _CPU_SUFFIXES, "cpu")


def parse_memory(value: str) -> int:
    """``"1Gi"``, ``"512Mi"``, ``"1G"``, ``"100M"`` or ``"1024"`` as bytes; raises
    ``QuantityError``."""
    return _parse(value, _MEMORY_SUFFIXES, "memory")


def _parse(value: str, suffixes: dict[str, Decimal], what: str) -> int:
    match = _QUANTITY.fullmatch(value.strip())
    if match is None or match["suffix"] not in suffixes:
        raise QuantityError(f"invalid {what} quantity {value!r}")
    try:
        amount = Decimal(match["number"]) * suffixes[match["suffix"]]
    except InvalidOperation:
        raise QuantityError(f"invalid {what} quantity {value!r}") from None
    return int(amount.to_integral_value(rounding="ROUND_CEILING"))
