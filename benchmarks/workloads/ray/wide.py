"""wide: N independent remote calls (inc of 0..N-1) fanned out at once, then one remote call
summing them (their references passed as arguments), on a local Ray cluster of 2 CPUs started
in this process (Ray). Default N=200.

Loopback only, no dashboard: see hello.py.
"""

import os
import sys
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

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200


@ray.remote
def inc(x: int) -> int:
    return x + 1


@ray.remote
def total(*values: int) -> int:
    return sum(values)


def wide(n: int) -> int:
    return ray.get(total.remote(*[inc.remote(i) for i in range(n)]))


if __name__ == "__main__":
    ray.init(num_cpus=2, include_dashboard=False)
    start = time.perf_counter()
    result = wide(N)
    print(f"TIME {time.perf_counter() - start:.6f}")
    ray.shutdown()
    print(f"RESULT {result}")
