"""console dag: the console's page of an execution of a 1,000-node workflow
(``bench_flows.wide_wf``: 999 tasks and a sum) run on a running ``aloft serve``
(aloft-server).

Timed (median of REPEAT GETs after one untimed, which computes the layout and keeps it):
TIME the execution's page (its graph laid out and drawn, every node's row and timeline bar);
METRIC console_status_s the live-status document the page polls, in full; METRIC
console_first_s the very first GET (the layout computed). RESULT: the nodes drawn.
"""

import bench_flows
from common import client
from console_pages import console, median_page, timed_page

if __name__ == "__main__":
    with client() as remote:
        remote.register(bench_flows.wide_wf)
        execution = remote.execute("bench_flows.wide_wf", {"x": 0})
        remote.wait(execution, timeout=600)
    path = f"/executions/{execution.id.project}/{execution.id.domain}/{execution.id.name}"
    with console() as http:
        first_s, _ = timed_page(http, path)
        page_s, page = median_page(http, path)
        status_s, _ = median_page(http, path + "/status")
    print(f"METRIC console_first_s {first_s:.6f}")
    print(f"METRIC console_status_s {status_s:.6f}")
    print(f"TIME {page_s:.6f}")
    drawn = page.count('<g class="node ')
    print(f"RESULT {drawn}")
