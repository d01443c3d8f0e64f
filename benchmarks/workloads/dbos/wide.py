"""wide: N independent durable steps (inc of 0..N-1) enqueued on a DBOS queue from one
workflow, then one step summing their results (DBOS Transact). Default N=200.

The database is ``ALOFT_BENCH_DB_URL`` (the runner sets it), else a SQLite file in TMPDIR.
"""

import os
import sys
import tempfile
import time

from dbos import DBOS

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
QUEUE = "wide"


@DBOS.step()
def inc(x: int) -> int:
    return x + 1


@DBOS.step()
def total(values: list[int]) -> int:
    return sum(values)


@DBOS.workflow()
def wide_wf(n: int) -> int:
    handles = [DBOS.enqueue_workflow(QUEUE, inc, i) for i in range(n)]
    return total([handle.get_result() for handle in handles])


if __name__ == "__main__":
    url = os.environ.get("ALOFT_BENCH_DB_URL")
    url = url or f"sqlite:///{os.path.join(tempfile.gettempdir(), 'dbos.sqlite')}"
    DBOS(config={"name": "bench", "system_database_url": url, "log_level": "WARNING"})
    DBOS.launch()
    DBOS.register_queue(QUEUE)
    start = time.perf_counter()
    result = wide_wf(N)
    print(f"TIME {time.perf_counter() - start:.6f}")
    DBOS.destroy()
    print(f"RESULT {result}")
