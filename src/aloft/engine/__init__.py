"""The engine: runs compiled workflows (IR only) over an execution store and an executor."""

from aloft.engine.engine import Engine
from aloft.engine.state import ExecutionState, NodeState
from aloft.engine.store import ExecutionStore, InMemoryStore

__all__ = ["Engine", "ExecutionState", "ExecutionStore", "InMemoryStore", "NodeState"]
