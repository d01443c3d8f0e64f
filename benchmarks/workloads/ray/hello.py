"""hello: one remote call on a local Ray cluster of 2 CPUs started in this process (Ray).

Loopback only, no dashboard (see below). Ray puts its session folder under ``RAY_TMPDIR``
(the runner gives it a short folder: Unix socket paths may not exceed 107 bytes), else TMPDIR.
"""

import os
import tempfile
import time
from pathlib import Path

# Loopback only: no usage statistics; the node's address is 127.0.0.1, so Ray's servers bind
# there and not to every interface; HOME is a folder under TMPDIR holding a
# ray_bootstrap_config.yaml, without which Ray's usage module (started even with the dashboard
# off and usage statistics disabled) probes cloud metadata addresses to name the cloud it is on.
RAY_HOME = Path(tempfile.gettempdir()) / "ray-home"
RAY_HOME.mkdir(exist_ok=True)
(RAY_HOME / "ray_bootstrap_config.yaml").write_text("provider:\n  type: local\n")
os.environ.update(
    HOME=str(RAY_HOME), RAY_USAGE_STATS_ENABLED="0", RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0"
)

import ray  # noqa: E402


@ray.remote
def greet(name: str) -> str:
    return f"Hello, {name}!"


if __name__ == "__main__":
    ray.init(num_cpus=2, include_dashboard=False)
    start = time.perf_counter()
    result = ray.get(greet.remote("World"))
    print(f"TIME {time.perf_counter() - start:.6f}")
    ray.shutdown()
    print(f"RESULT {result}")
