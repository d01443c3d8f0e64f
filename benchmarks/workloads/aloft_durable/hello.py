"""hello: one task in a workflow (aloft, durable: the execution stored in SQLite or PostgreSQL
and run by an engine host on a pool of 2 worker processes).

The database is ``ALOFT_BENCH_DB_URL`` (the runner sets it), else a SQLite file in TMPDIR; the
blob store and aloft's home are under TMPDIR too.
"""

import os
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
def greet(name: str) -> str:
    return f"Hello, {name}!"


@workflow
def hello_wf(name: str = "World") -> str:
    return greet(name=name)


def main() -> None:
    store = open_store(os.environ.get("ALOFT_BENCH_DB_URL") or f"sqlite:///{SCRATCH}/aloft.db")
    start = time.perf_counter()
    execution = create_durable(
        store, hello_wf, {"name": "World"}, "hello", str(Path(__file__).parent)
    )
    drive(store, execution, workers=WORKERS)
    result = LocalExecution.of(hello_wf, store, execution).outputs()
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")


if __name__ == "__main__":
    main()
