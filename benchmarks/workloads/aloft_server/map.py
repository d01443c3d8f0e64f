"""server map: map_task doubling 0..N-1, then a sum (bench_flows.map_wf, 1,002 tasks for
N=1,000), registered on a running ``aloft serve`` and run there, end to end from the client
(aloft-server).

Registering is timed apart (METRIC register_s), and so is one one-task execution (METRIC
one_task_s). TIME: launching through the API, the server running the 1,002 tasks on its 2
workers, and the client polling until it ended and reading its outputs. METRIC
server_side_s: the seconds from its creation to its last update as the server recorded them
(its run without the client's polling).
"""

import sys
import time

import bench_flows
from common import client, run

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with client() as remote:
        start = time.perf_counter()
        remote.register(bench_flows.map_wf, bench_flows.one_task)
        print(f"METRIC register_s {time.perf_counter() - start:.6f}")
        start = time.perf_counter()
        run(remote, "bench_flows.one_task", {"x": 1}, "one_task_server_side_s")
        print(f"METRIC one_task_s {time.perf_counter() - start:.6f}")
        start = time.perf_counter()
        outputs = run(remote, "bench_flows.map_wf", {"n": n})
        print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {outputs['o0']}")
