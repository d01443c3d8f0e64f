"""chain: N sequential durable steps, each adding 1 to the previous result, in one DBOS
workflow (DBOS Transact; steps run in this process, each checkpointed in the system database).
Default N=100.

The database is ``ALOFT_BENCH_DB_URL`` (the runner sets it), else a SQLite file in TMPDIR.
"""

import os
import sys
import tempfile
import time

from dbos import DBOS

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100


@DBOS.step()
def inc(x: int) -> int:
    return x + 1


@DBOS.workflow()
def chain_wf(n: int, x: int = 0) -> int:
    value = x
    for _ in range(n):
        value = inc(value)
    return value


if __name__ == "__main__":
    url = os.environ.get("ALOFT_BENCH_DB_URL")
    url = url or f"sqlite:///{os.path.join(tempfile.gettempdir(), 'dbos.sqlite')}"
    DBOS(config={"name": "bench", "system_database_url": url, "log_level": "WARNING"})
    DBOS.launch()
    start = time.perf_counter()
    result = chain_wf(N)
    print(f"TIME {time.perf_counter() - start:.6f}")
    DBOS.destroy()
    print(f"RESULT {result}")
