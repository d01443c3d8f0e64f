"""chain: N sequential tasks, each adding 1 to the previous result (aloft, durable: the
execution stored in SQLite or PostgreSQL and run by an engine host on a pool of 2 worker
processes). Default N=100.

The database is ``ALOFT_BENCH_DB_URL`` (the runner sets it), else a SQLite file in TMPDIR; the
blob store and aloft's home are under TMPDIR too. Workers import this file by its module name
(``chain``) from its folder, so the tasks are module-level; the workflow is built in ``main``.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

SCRATCH = Path(tempfile.gettempdir()) / "aloft-bench"
os.environ.setdefault("ALOFT_HOME", str(SCRATCH / "home"))
os.environ.setdefault("ALOFT_STORE", str(SCRATCH / "store"))

from aloft import task, workflow  # noqa: E402
from aloft.runner import LocalExecution  # noqa: E402
from aloft.runner.durable import create_durable, drive, open_store  # noqa: E402

WORKERS = 2


@task
def inc(x: int) -> int:
    return x + 1


def main(n: int) -> None:
    def chain_wf(x: int = 0) -> int:
        value = x
        for _ in range(n):
            value = inc(x=value)
        return value

    wf = workflow(chain_wf)
    store = open_store(os.environ.get("ALOFT_BENCH_DB_URL") or f"sqlite:///{SCRATCH}/aloft.db")
    start = time.perf_counter()
    execution = create_durable(store, wf, {"x": 0}, "chain", str(Path(__file__).parent))
    drive(store, execution, workers=WORKERS)
    result = LocalExecution.of(wf, store, execution).outputs()
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
