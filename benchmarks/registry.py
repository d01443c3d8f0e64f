"""The workloads: what each runs, how many tasks it executes, and the result it must print.

A workload is either a *command* (``bare``, ``import``, ``import-api``, ``cli-help``,
``cli-run``: the same command line for each system's interpreter or CLI) or a *script*:
``benchmarks/workloads/<system>/<script>.py SIZE``, which prints one line ``RESULT <value>``;
the runner compares the value with ``expected``, computed here in Python (for the dataframe
workload with numpy, and only when first asked for). A command with an ``expected`` result
(cli-run) must print it as is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

COMMANDS = ("bare", "import", "import-api", "cli-help", "cli-run")


@dataclass(frozen=True)
class Workload:
    """One benchmark row."""

    name: str
    summary: str
    command: str | None = None
    script: str | None = None
    size: int | None = None
    tasks: int = 0
    # The printed result: a string, or a function computing it on first use (see ``expected``).
    result: str | Callable[[], str] | None = None
    # Needs aloft features that may not be built yet: aloft's file is first imported on its own
    # (workflows compile at import), and the row says "not available in aloft yet" if that fails.
    aloft_feature: str | None = None
    quick: bool = False
    # Per-task overhead ((median - hello) / tasks) is meaningful: the tasks do almost nothing.
    per_task: bool = False
    # Not runnable anywhere yet (the reason), or not run for some systems (system -> reason).
    pending: str | None = None
    # Runs only on these systems (the server_* rows: systems with a server); None: every
    # system but those that run listed workloads only (see System.listed_workloads_only).
    systems: tuple[str, ...] | None = None
    skip: Mapping[str, str] = field(default_factory=dict)
    # For slow rows (the full suite must finish in 30 minutes): a cap on timed runs, no warm-up.
    max_runs: int | None = None
    warmup: bool = True

    @property
    def expected(self) -> str | None:
        """The result the workload must print."""
        return self.result() if callable(self.result) else self.result

    def argv_tail(self) -> list[str]:
        """Arguments after the script's path."""
        return [] if self.size is None else [str(self.size)]


def _sum_inc(n: int) -> str:
    """Sum of inc(i) = i + 1 over 0..n-1."""
    return str(n * (n + 1) // 2)


def _sum_double(n: int) -> str:
    """Sum of 2 * i over 0..n-1."""
    return str(n * (n - 1))


@functools.cache
def _dataframe_checksum(n: int) -> str:
    """Sum of round(1000 * v) over the n x 10 values of ``default_rng(42).random((n, 10))``,
    the frame every system's dataframe workload makes (numpy is imported only here, so other
    invocations do not pay for it)."""
    import numpy as np

    values = np.random.default_rng(42).random((n, 10))
    return str(int(np.rint(values * 1000).astype(np.int64).sum()))


# The durable and distributed systems run hello, chain100 and wide1000 only.
_FAN_OUT_SYSTEMS = ("aloft-durable", "aloft-durable-pg", "ray", "dbos", "dbos-pg")

_PREFECT_WIDE1000 = (
    "left out: 15-25 s a run here (10-13 s against its server), which would push the full "
    "suite past 30 minutes; wide200 shows its per-task cost"
)

# The server rows run on the systems with a server the runner starts: aloft's control plane
# (aloft-server) and Prefect's (prefect-server). Against Prefect's server, chain and map are its
# usual flow files: the flow runs in the client process and reports every state to the server.
SERVER_SYSTEMS = ("aloft-server", "prefect-server")
_PREFECT_LAUNCH = (
    "not measured: Prefect launches flow runs through its API only from a deployment, whose "
    "worker (or `flow.serve()` process) runs each in a new Python process; no such workload here"
)

WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "bare",
        "`python -c pass`: the interpreter alone, in each system's environment",
        command="bare",
        quick=True,
    ),
    Workload(
        "import",
        '`python -c "import X"` for X = aloft, flytekit, prefect, ray, dbos',
        command="import",
        quick=True,
    ),
    Workload(
        "import-api",
        "`from X import task, workflow` (prefect: `flow, task`; ray: `get, remote`; dbos: "
        "`DBOS`): resolves lazily imported names",
        command="import-api",
        quick=True,
    ),
    Workload(
        "cli-help",
        "`aloft --help`, `pyflyte --help`, `prefect --help`, `ray --help`, `dbos --help`",
        command="cli-help",
        quick=True,
    ),
    Workload(
        "cli-run",
        "hello's workflow run from its file by the CLI, whole process: `aloft run FILE "
        "hello_wf` (its tasks on a pool of worker processes), `pyflyte run FILE hello_wf`",
        command="cli-run",
        result="Hello, World!",
        quick=True,
    ),
    Workload(
        "hello",
        "one task in a workflow, called as a function",
        script="hello",
        tasks=1,
        result="Hello, World!",
        quick=True,
    ),
    Workload(
        "chain100",
        "100 sequential tasks, each x + 1 of the previous",
        script="chain",
        size=100,
        tasks=100,
        result="100",
        quick=True,
        per_task=True,
    ),
    Workload(
        "wide200",
        "200 independent tasks (x + 1 of 0..199), then one summing them",
        script="wide",
        size=200,
        tasks=201,
        result=_sum_inc(200),
        quick=True,
        per_task=True,
        skip=dict.fromkeys(_FAN_OUT_SYSTEMS, "fan-out measured by wide1000"),
    ),
    Workload(
        "wide1000",
        "1,000 independent tasks (x + 1 of 0..999), then one summing them (ray: remote calls, "
        "the sum a remote call on their references; dbos: steps enqueued on a queue)",
        script="wide",
        size=1000,
        tasks=1001,
        result=_sum_inc(1000),
        per_task=True,
        skip=dict.fromkeys(("prefect", "prefect-server"), _PREFECT_WIDE1000),
    ),
    Workload(
        "map1000",
        "map_task x * 2 over 0..999 (prefect: Task.map), then a sum",
        script="map",
        size=1000,
        tasks=1002,
        result=_sum_double(1000),
        aloft_feature="map_task",
        per_task=True,
    ),
    Workload(
        "dynamic500",
        "a @dynamic creating 500 tasks (x + 1 of 0..499) at run time, then a sum "
        "(prefect: a subflow)",
        script="dynamic",
        size=500,
        tasks=502,
        result=_sum_inc(500),
        aloft_feature="@dynamic",
        per_task=True,
    ),
    Workload(
        "dataframe",
        "a 1,000,000 x 10 float64 pandas DataFrame made by one task, checksummed by another",
        script="dataframe",
        size=1_000_000,
        tasks=2,
        result=functools.partial(_dataframe_checksum, 1_000_000),
        aloft_feature="pandas DataFrame type (and pandas/pyarrow in .venv)",
    ),
    Workload(
        "cache_map1000",
        "map1000 with the mapped task cached; the warm-up fills the cache, timed runs hit it",
        script="cache_map",
        size=1000,
        tasks=1002,
        result=_sum_double(1000),
        aloft_feature="map_task with cache",
        per_task=True,
    ),
    Workload(
        "map10000",
        "map_task x * 2 over 0..9999 (prefect: Task.map), then a sum",
        script="map",
        size=10_000,
        tasks=10_002,
        result=_sum_double(10_000),
        aloft_feature="map_task",
        per_task=True,
        max_runs=2,
        warmup=False,
    ),
    Workload(
        "server_submit100",
        "100 one-task executions launched one by one through the REST API "
        "(POST /api/v1/executions) of a running server on 127.0.0.1, until all finish",
        script="launch",
        size=100,
        tasks=100,
        result=_sum_double(100),
        systems=SERVER_SYSTEMS,
        skip={"prefect-server": _PREFECT_LAUNCH},
    ),
    Workload(
        "server_chain100",
        "chain100 registered on and run by a running server on 127.0.0.1, from launch to "
        "outputs at the client (prefect-server: the chain flow, run in the client, reporting "
        "to the server)",
        script="chain",
        size=100,
        tasks=100,
        result="100",
        systems=SERVER_SYSTEMS,
    ),
    Workload(
        "server_map1000",
        "map_task x * 2 over 0..999, then a sum, registered on and run by a running server "
        "(prefect-server: the map flow, Task.map, run in the client, reporting to the server)",
        script="map",
        size=1000,
        tasks=1002,
        result=_sum_double(1000),
        systems=SERVER_SYSTEMS,
    ),
    Workload(
        "server_launch1000",
        "1,000 one-task executions launched one by one through the REST API of a running "
        "server, until all finish",
        script="launch",
        size=1000,
        tasks=1000,
        result=_sum_double(1000),
        systems=SERVER_SYSTEMS,
        skip={"prefect-server": _PREFECT_LAUNCH},
    ),
    Workload(
        "server_list100k",
        "one page (limit 100) of GET /api/v1/executions with 100,000 executions stored: the "
        "first page, and one 50,000 deep reached by cursors (the warm-up fills the database)",
        script="list",
        size=100_000,
        result="100,100",
        systems=("aloft-server",),
    ),
    Workload(
        "console_list100k",
        "the web console's executions page (50 a page) with 100,000 executions stored: the "
        "first page, filtered ones, and one 50,000 deep reached by its next-page links",
        script="console_list",
        size=100_000,
        result="50,50",
        systems=("aloft-server",),
    ),
    Workload(
        "console_dag1000",
        "the web console's page of an execution of a 1,000-node workflow (999 tasks and a "
        "sum) run on the server: its graph laid out and drawn, its nodes and timeline",
        script="console_dag",
        size=1000,
        tasks=1000,
        result="1000",
        systems=("aloft-server",),
    ),
    Workload(
        "console_map10000",
        "the web console's page of an execution of a map over 10,000 items run on the "
        "server, and the map node's own page",
        script="console_map",
        size=10_000,
        tasks=10_002,
        result="10,000",
        systems=("aloft-server",),
    ),
)

WORKLOADS_BY_NAME = {workload.name: workload for workload in WORKLOADS}
