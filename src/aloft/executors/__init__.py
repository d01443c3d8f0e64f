"""Executors: where task attempts run (inline now; a process pool and Ray later).

Only the interface is imported here, so the engine can depend on it without pulling in the
worker runtime; concrete executors are imported from their modules.
"""

from aloft.executors.base import Executor

__all__ = ["Executor"]
