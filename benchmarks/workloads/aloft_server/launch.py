"""server launch: N one-task executions (bench_flows.one_task on x = 0..N-1) launched one by
one through the REST API of a running ``aloft serve`` (POST /api/v1/executions, one HTTP
connection kept alive), until all have ended (aloft-server).

TIME: from the first POST until the client has seen every execution end (it looks at each in
the order launched, GET /api/v1/executions/{project}/{domain}/{name}, every 10 ms until it
ended). METRIC launch_s: the POSTs alone. RESULT: the sum of the outputs, 2 * x over all.
"""

import sys
import time

import bench_flows
import httpx
from common import DOMAIN, PROJECT, client, server_url

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    entity = {"resource_type": "workflow", "name": "bench_flows.one_task"}
    with client() as remote, httpx.Client(base_url=f"{server_url()}/api/v1", timeout=120) as http:
        remote.register(bench_flows.one_task)
        start = time.perf_counter()
        names = []
        for x in range(n):
            answer = http.post(
                "/executions",
                json={"project": PROJECT, "domain": DOMAIN, "entity": entity, "inputs": {"x": x}},
            )
            if answer.status_code != 201:
                raise SystemExit(f"launch {x}: HTTP {answer.status_code}: {answer.text[:300]}")
            names.append(answer.json()["id"]["name"])
        print(f"METRIC launch_s {time.perf_counter() - start:.6f}")
        outputs = 0
        for name in names:
            outputs += remote.output_values(remote.wait(name))["o0"]
        print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {outputs}")
