"""server list: one page of GET /api/v1/executions (limit 100, newest first) on a running
``aloft serve`` holding N = 100,000 executions (aloft-server).

Before the timed part, the server's database (``ALOFT_BENCH_SERVER_DB``, a SQLite file) is
filled up to N executions through aloft's own store API: one real one-task execution is run
through the server, then copies of it (its spec, and its record once it succeeded) are stored
under new names with ``SqlStore.create`` and marked succeeded with ``SqlStore.apply``, so the
server's engine host has nothing to run. (The host may claim a copy between the two calls and
run it for real; that copy is then left to it.) The fill happens in the warm-up; later runs
find the executions there (METRIC stored).

Timed (each GET alone, the response read in full; median of REPEAT): TIME the first page;
METRIC deep_page_s a page halfway down (50,000 executions deep), reached by following
cursors in pages of 1,000 (METRIC page1000_s: the median of those); METRIC scoped_page_s the
first page with project and domain given (what ``Remote.list_executions`` asks for); METRIC
first_page_cold_s the very first GET of the run.
RESULT: how many executions the first and the deep page held ("100,100").
"""

import datetime
import os
import statistics
import sys
import time

import bench_flows
import httpx
from common import DOMAIN, PROJECT, client, run, server_url
from msgspec import structs

from aloft.ir import ExecutionId, ExecutionPhase
from aloft.storage.executions import Changes, ExecutionQuery
from aloft.storage.executions.sql import SqlStore

REPEAT = 20
PAGE = 100


def fill(store: SqlStore, wanted: int) -> int:
    """Store succeeded copies of a real one-task execution until ``wanted`` are stored;
    returns how many were added."""
    stored = sum(store.count_by_phase().values())
    if stored >= wanted:
        return 0
    with client() as remote:
        remote.register(bench_flows.one_task)
        run(remote, "bench_flows.one_task", {"x": 1}, "reference_server_side_s")
    query = ExecutionQuery(workflow="bench_flows.one_task", phase=ExecutionPhase.SUCCEEDED, limit=1)
    reference = store.list_executions(query).records[0]
    spec = store.spec(reference.id)
    prefix = f"fill{os.getpid()}"
    added = 0
    start = sum(store.count_by_phase().values())
    for index in range(wanted - start):
        copy_id = ExecutionId(name=f"{prefix}-{index:06d}", project=PROJECT, domain=DOMAIN)
        now = datetime.datetime.now(datetime.UTC)
        created = store.create(structs.replace(spec, id=copy_id), now)
        done = structs.replace(
            created,
            phase=ExecutionPhase.SUCCEEDED,
            outputs=reference.outputs,
            version=created.version + 1,
            updated_at=now,
        )
        try:
            store.apply(copy_id, created.version, Changes(execution=done))
        except Exception as exc:  # the host took it first: it runs for real
            if type(exc).__name__ not in ("VersionConflict", "InvalidTransition"):
                raise
        added += 1
    return added


def timed_get(http: httpx.Client, params: dict[str, object]) -> tuple[float, dict]:
    """Seconds of one GET of the listing (response read in full), and its body."""
    start = time.perf_counter()
    answer = http.get("/executions", params=params)
    seconds = time.perf_counter() - start
    if answer.status_code != 200:
        raise SystemExit(f"GET /executions: HTTP {answer.status_code}: {answer.text[:300]}")
    return seconds, answer.json()


if __name__ == "__main__":
    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    store = SqlStore(os.environ["ALOFT_BENCH_SERVER_DB"])
    start = time.perf_counter()
    added = fill(store, wanted)
    if added:
        seconds = time.perf_counter() - start
        print(f"METRIC fill_s {seconds:.3f}")
        print(f"METRIC fill_per_s {added / seconds:.1f}")
    stored = sum(store.count_by_phase().values())
    store.close()
    print(f"METRIC stored {stored}")
    if stored < wanted:
        raise SystemExit(f"only {stored} executions stored, wanted {wanted}")
    with httpx.Client(base_url=f"{server_url()}/api/v1", timeout=120) as http:
        cold, first = timed_get(http, {"limit": PAGE})
        firsts = [timed_get(http, {"limit": PAGE})[0] for _ in range(REPEAT)]
        scoped = {"limit": PAGE, "project": PROJECT, "domain": DOMAIN}
        scopeds = [timed_get(http, scoped)[0] for _ in range(REPEAT)]
        cursor, skipped, walks = None, 0, []
        while skipped < wanted // 2:
            params: dict[str, object] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            seconds, body = timed_get(http, params)
            walks.append(seconds)
            skipped += len(body["executions"])
            cursor = body["next_cursor"]
            if cursor is None:
                raise SystemExit(f"the listing ended after {skipped} executions")
        deeps = []
        for _ in range(REPEAT):
            seconds, deep = timed_get(http, {"limit": PAGE, "cursor": cursor})
            deeps.append(seconds)
    print(f"METRIC first_page_cold_s {cold:.6f}")
    print(f"METRIC scoped_page_s {statistics.median(scopeds):.6f}")
    print(f"METRIC deep_page_s {statistics.median(deeps):.6f}")
    print(f"METRIC page1000_s {statistics.median(walks):.6f}")
    print(f"TIME {statistics.median(firsts):.6f}")
    print(f"RESULT {len(first['executions'])},{len(deep['executions'])}")
