"""What the aloft-server workloads share: the server the runner started, the client, and
waiting for an execution with a short poll (the client's default poll backs off to 0.1 s,
which would add up to 0.1 s of waiting to every timing).

``ALOFT_REMOTE`` is the server's URL (the runner sets it, and the remote client reads it);
the client's own ``ALOFT_HOME`` goes to the run's TMPDIR.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ALOFT_HOME", str(Path(tempfile.gettempdir()) / "aloft-home"))

from aloft.remote import Remote

PROJECT, DOMAIN = "default", "development"


def server_url() -> str:
    """The server the runner started (loopback)."""
    url = os.environ.get("ALOFT_REMOTE")
    if not url:
        raise SystemExit("ALOFT_REMOTE is not set: run this through python -m benchmarks")
    return url


def client() -> Remote:
    """A client of the runner's server."""
    return Remote(server_url(), project=PROJECT, domain=DOMAIN, timeout=120)


def run(
    remote: Remote,
    name: str,
    inputs: dict[str, object],
    metric: str = "server_side_s",
    timeout: float = 300,
) -> dict:
    """Launch registered workflow ``name`` on ``inputs``, wait until it ends, and return its
    outputs (plain values by output name); prints ``METRIC <metric>``: the seconds from
    its creation to its last update as the server recorded them (what it took the server,
    the wait for the engine host to claim it included, without the client's waiting)."""
    execution = remote.execute(name, inputs)
    done = remote.wait(execution, timeout=timeout)  # a long poll: the server answers at the end
    outputs = remote.outputs(done)
    created, updated = done.record.created_at, done.record.updated_at
    if created is not None and updated is not None:
        print(f"METRIC {metric} {(updated - created).total_seconds():.6f}")
    return outputs
