"""The engine: steps stored executions (IR only) and runs their attempts on an executor.

Each step of an execution decides its transitions from its records (``Step``), writes them
in one version-guarded transaction and then acts (``EngineHost``). Node kinds are handlers
(``aloft.engine.handlers``).
"""

from aloft.engine.host import EngineHost, ExecutionBusy
from aloft.engine.hosts import is_known_dead, new_host_id
from aloft.engine.step import EngineSettings, Step
from aloft.engine.view import ExecutionView, Frame

__all__ = [
    "EngineHost",
    "EngineSettings",
    "ExecutionBusy",
    "ExecutionView",
    "Frame",
    "Step",
    "is_known_dead",
    "new_host_id",
]
