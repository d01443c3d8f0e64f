"""console map: the console's page of an execution of a map over N = 10,000 items
(``bench_flows.map_wf``) run on a running ``aloft serve`` (aloft-server), and the map node's
own page.

Timed (median of REPEAT GETs after one untimed): TIME the execution's page; METRIC
console_map_node_s the map node's page (its items by phase, its batch attempts). RESULT: the
map node's item count as the page shows it.
"""

import re
import sys

import bench_flows
from common import client
from console_pages import console, median_page

ITEMS = re.compile(r"([\d,]+) items: ([\d,]+) ok")

if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with client() as remote:
        remote.register(bench_flows.map_wf)
        execution = remote.execute("bench_flows.map_wf", {"n": n})
        remote.wait(execution, timeout=600)
    path = f"/executions/{execution.id.project}/{execution.id.domain}/{execution.id.name}"
    with console() as http:
        page_s, page = median_page(http, path)
        node_s, _ = median_page(http, path + "/nodes/n1")
    print(f"METRIC console_map_node_s {node_s:.6f}")
    print(f"TIME {page_s:.6f}")
    found = ITEMS.search(page)
    print(f"RESULT {found.group(1) if found else 'none'}")
