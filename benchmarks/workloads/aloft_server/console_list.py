"""console list: the console's executions page (50 a page, newest first) on a running
``aloft serve`` holding N = 100,000 executions (aloft-server); the warm-up fills the database
as server_list100k does (``list.fill``).

Timed (median of REPEAT GETs, each read in full): TIME the first page; METRIC
console_filtered_s the first page filtered by phase and workflow; METRIC console_label_s
filtered by a label no execution has (the filter reads the whole table); METRIC
console_deep_s a page 50,000 deep, reached by following the console's own next-page links
in pages of 500.
RESULT: executions on the first and on the deep page ("50,50").
"""

import os
import re
import sys

from console_pages import console, median_page, timed_page
from list import fill

from aloft.storage.executions.sql import SqlStore

ROW = re.compile(r'<tr>\s*<td><a href="/executions/')
NEXT = re.compile(r'<a href="(/executions\?[^"]*)" rel="next">')

if __name__ == "__main__":
    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    store = SqlStore(os.environ["ALOFT_BENCH_SERVER_DB"])
    fill(store, wanted)
    stored = sum(store.count_by_phase().values())
    store.close()
    print(f"METRIC stored {stored}")
    with console() as http:
        first_s, first = median_page(http, "/executions")
        filtered_s, _ = median_page(
            http, "/executions", {"phase": "succeeded", "workflow": "bench_flows.one_task"}
        )
        label_s, _ = median_page(http, "/executions", {"label": "nobody=here"})
        path, skipped = "/executions?limit=500", 0
        while skipped < wanted // 2:
            _, text = timed_page(http, path)
            skipped += len(ROW.findall(text))
            found = NEXT.search(text)
            if found is None:
                raise SystemExit(f"the listing ended after {skipped} executions")
            path = found.group(1).replace("&amp;", "&")
        deep_s, deep = median_page(http, path.replace("limit=500", "limit=50"))
    print(f"METRIC console_filtered_s {filtered_s:.6f}")
    print(f"METRIC console_label_s {label_s:.6f}")
    print(f"METRIC console_deep_s {deep_s:.6f}")
    print(f"TIME {first_s:.6f}")
    print(f"RESULT {len(ROW.findall(first))},{len(ROW.findall(deep))}")
