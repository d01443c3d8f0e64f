"""The Python client of an aloft server: ``Remote(url)`` registers, launches, waits for,
inspects and steers executions, as flytekit's ``FlyteRemote`` does."""

from aloft.remote.client import (
    NodeExecution,
    Remote,
    RemoteError,
    RemoteExecution,
    ServerUnavailable,
)

__all__ = ["NodeExecution", "Remote", "RemoteError", "RemoteExecution", "ServerUnavailable"]
