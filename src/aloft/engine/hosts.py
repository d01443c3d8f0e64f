"""Engine host identities, and telling whether the host behind one is known to be dead."""

from __future__ import annotations

import os
import socket
import uuid


def new_host_id() -> str:
    """A fresh identity for an engine host: ``hostname:pid:nonce``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_known_dead(host: str) -> bool:
    """Whether ``host`` ran on this machine in a process that no longer exists.

    A host elsewhere, or one whose process still exists, is not known dead: only its lease
    running out says it is gone.
    """
    name, _, rest = host.partition(":")
    pid_text = rest.partition(":")[0]
    if name != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
