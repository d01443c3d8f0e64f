"""server chain: a chain of N sequential tasks (bench_flows.chain_wf, N=100), registered on
a running ``aloft serve`` and run there, end to end from the client (aloft-server).

Registering (code bundle and IR; a no-op after the first run) is timed apart (METRIC
register_s), and so is one one-task execution through the same path (METRIC one_task_s: the
fixed cost of a launch, the host claiming it and the client seeing it end). TIME: launching
the chain through the API, the server running its 100 tasks on its 2 workers, and the client
polling until it ended and reading its outputs. METRIC server_side_s: the seconds from its
creation to its last update as the server recorded them (its run without the client's
polling).
"""

import sys
import time

import bench_flows
from common import client, run

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else bench_flows.CHAIN
    if n != bench_flows.CHAIN:
        raise SystemExit(f"bench_flows.chain_wf is {bench_flows.CHAIN} tasks long, not {n}")
    with client() as remote:
        start = time.perf_counter()
        remote.register(bench_flows.chain_wf, bench_flows.one_task)
        print(f"METRIC register_s {time.perf_counter() - start:.6f}")
        start = time.perf_counter()
        run(remote, "bench_flows.one_task", {"x": 1}, "one_task_server_side_s")
        print(f"METRIC one_task_s {time.perf_counter() - start:.6f}")
        start = time.perf_counter()
        outputs = run(remote, "bench_flows.chain_wf", {"x": 0})
        print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {outputs['o0']}")
