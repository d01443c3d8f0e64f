"""What an attempt occupies of a machine (its quantities parsed by ``aloft.ir.quantities``),
and the capacity of the pool accounted.

CPU is counted in millicores and memory in bytes, both as integers, so taking and giving back
never drifts. An attempt occupies its request of each resource, or its limit when it requests
none; with neither it takes one CPU and no memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from aloft.ir import ResourceSpec
from aloft.ir.quantities import parse_cpu, parse_memory

DEFAULT_MILLICPU = 1000
"""What an attempt that names no CPU takes: one CPU."""


@dataclass(frozen=True)
class Demand:
    """What one attempt occupies: ``millicpu`` thousandths of a CPU, ``memory`` bytes."""

    millicpu: int
    memory: int


@lru_cache(maxsize=256)
def demand_of(requests: ResourceSpec, limits: ResourceSpec) -> Demand:
    """What an attempt with these requests and limits occupies; raises ``QuantityError``."""
    cpu = requests.cpu or limits.cpu
    mem = requests.mem or limits.mem
    return Demand(
        millicpu=DEFAULT_MILLICPU if cpu is None else parse_cpu(cpu),
        memory=0 if mem is None else parse_memory(mem),
    )


def physical_memory() -> int | None:
    """Bytes of physical memory of this machine, or None where the OS does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


class Capacity:
    """The CPU and memory of a pool, and how much of each is free.

    ``memory`` None means memory is not accounted.
    """

    def __init__(self, millicpu: int, memory: int | None) -> None:
        self.millicpu = millicpu
        self.memory = memory
        self._free_millicpu = millicpu
        self._free_memory = memory

    def shortfall(self, demand: Demand) -> str:
        """Why ``demand`` can never fit, even into the whole pool; empty if it can."""
        reasons = []
        if demand.millicpu > self.millicpu:
            reasons.append(
                f"{demand.millicpu / 1000:g} cpu where the pool has {self.millicpu / 1000:g}"
            )
        if self.memory is not None and demand.memory > self.memory:
            reasons.append(
                f"{demand.memory} bytes of memory where the pool has {self.memory} bytes"
            )
        return " and ".join(reasons)

    def fits(self, demand: Demand) -> bool:
        """Whether ``demand`` fits into what is free now."""
        return demand.millicpu <= self._free_millicpu and (
            self._free_memory is None or demand.memory <= self._free_memory
        )

    def take(self, demand: Demand) -> None:
        """Occupy ``demand`` (which must fit)."""
        self._free_millicpu -= demand.millicpu
        if self._free_memory is not None:
            self._free_memory -= demand.memory

    def give_back(self, demand: Demand) -> None:
        """Free what ``take`` occupied."""
        self._free_millicpu += demand.millicpu
        if self._free_memory is not None:
            self._free_memory += demand.memory
