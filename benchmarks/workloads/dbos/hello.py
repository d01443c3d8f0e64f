"""hello: one durable step in a DBOS workflow (DBOS Transact; the step runs in this process and
its result is checkpointed in the system database).

The database is ``ALOFT_BENCH_DB_URL`` (the runner sets it), else a SQLite file in TMPDIR.
"""

import os
import tempfile
import time

from dbos import DBOS


@DBOS.step()
def greet(name: str) -> str:
    return f"Hello, {name}!"


@DBOS.workflow()
def hello_wf(name: str = "World") -> str:
    return greet(name)


if __name__ == "__main__":
    url = os.environ.get("ALOFT_BENCH_DB_URL")
    url = url or f"sqlite:///{os.path.join(tempfile.gettempdir(), 'dbos.sqlite')}"
    DBOS(config={"name": "bench", "system_database_url": url, "log_level": "WARNING"})
    DBOS.launch()
    start = time.perf_counter()
    result = hello_wf("World")
    print(f"TIME {time.perf_counter() - start:.6f}")
    DBOS.destroy()
    print(f"RESULT {result}")
