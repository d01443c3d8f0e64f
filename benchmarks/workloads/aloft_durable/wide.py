"""wide: N independent tasks (inc of 0..N-1), then one task summing them (aloft, durable: the
execution stored in SQLite or PostgreSQL and run by an engine host on a pool of 2 worker
processes). Default N=200.

The database is ``ALOFT_BENCH_DB_URL`` (the runner sets it), else a SQLite file in TMPDIR; the
blob store and aloft's home are under TMPDIR too. Workers import this file by its module name
(``wide``) from its folder, so the tasks are module-level; the workflow is built in ``main``.
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


@task
def total(values: list[int]) -> int:
    return sum(values)


def main(n: int) -> None:
    def wide_wf() -> int:
        return total(values=[inc(x=i) for i in range(n)])

    wf = workflow(wide_wf)
    store = open_store(os.environ.get("ALOFT_BENCH_DB_URL") or f"sqlite:///{SCRATCH}/aloft.db")
    start = time.perf_counter()
    execution = create_durable(store, wf, {}, "wide", str(Path(__file__).parent))
    drive(store, execution, workers=WORKERS)
    result = LocalExecution.of(wf, store, execution).outputs()
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
