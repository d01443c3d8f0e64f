"""The systems compared: which interpreter runs each, with which environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from benchmarks.paths import ENVS_DIR, REPO_VENV, STATE_DIR, WORKLOADS_DIR


@dataclass(frozen=True)
class System:
    """One way of running the workloads.

    ``env`` names the virtual environment under ``benchmarks/.envs`` (``None``: the repository's
    own ``.venv``); ``workloads`` the folder of ``benchmarks/workloads`` holding its files.
    """

    name: str
    env: str | None
    workloads: str
    summary: str
    import_module: str | None = None
    api_import: str | None = None
    cli: str | None = None
    # The CLI can run a workflow from a file (`aloft run FILE WF`, `pyflyte run FILE WF`).
    cli_runs_files: bool = False
    packages: tuple[str, ...] = ()
    # A system sharing another's interpreter: commands (bare, import, cli-help) are not re-run.
    same_commands_as: str | None = None
    # A server the runner starts once before this system's runs and stops at the end:
    # "prefect" (benchmarks/prefect_server.py) or "aloft" (benchmarks/aloft_server.py).
    server: str | None = None
    # Runs only the workloads that name it (Workload.systems): the server_* rows.
    listed_workloads_only: bool = False
    # Where a durable system keeps its executions: "sqlite" (a file in the run's TMPDIR) or
    # "postgres" (a fresh database per run, see benchmarks/postgres.py); passed to the workload
    # as ALOFT_BENCH_DB_URL.
    database: str | None = None
    # A variable naming a short temporary folder, outside the run's TMPDIR: Ray puts Unix
    # sockets under its session folder, and a socket's path may not exceed 107 bytes, which a
    # folder under the repository does not leave room for.
    short_tmp_variable: str | None = None

    @property
    def needs_server(self) -> bool:
        """Whether this system's runs need the runner's server."""
        return self.server is not None

    @property
    def prefix(self) -> Path:
        """The virtual environment's folder."""
        return REPO_VENV if self.env is None else ENVS_DIR / self.env

    @property
    def python(self) -> Path:
        """The interpreter that runs this system's workloads."""
        return self.prefix / "bin" / "python"

    def executable(self, name: str) -> Path:
        """A console script installed in this system's environment."""
        return self.prefix / "bin" / name

    def script(self, stem: str) -> Path:
        """This system's file for workload script ``stem``."""
        return WORKLOADS_DIR / self.workloads / f"{stem}.py"

    @property
    def state(self) -> Path:
        """HOME and working directory of this system's runs (kept across runs, wiped per
        invocation, so caches filled by the warm-up survive into the timed runs)."""
        return STATE_DIR / self.name

    def environment(
        self,
        tmpdir: Path,
        database_url: str | None = None,
        server_env: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Environment variables for one run: nothing leaks into the real HOME or /tmp, and
        nothing phones home. ``database_url``: a PostgreSQL system's database for this run;
        ``server_env``: where the runner's server for this system is (its ``client_env``)."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
        }
        env.update(
            HOME=str(self.state),
            TMPDIR=str(tmpdir),
            PATH=f"{self.prefix / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            DO_NOT_TRACK="1",
            PYTHONUNBUFFERED="1",
        )
        if self.name.startswith("prefect"):
            env.update(prefect_settings(self.state / "prefect-home"))
        if server_env:
            env.update(server_env)
        if self.database == "sqlite":
            env["ALOFT_BENCH_DB_URL"] = f"sqlite:///{tmpdir / 'bench.db'}"
        elif self.database == "postgres" and database_url is not None:
            env["ALOFT_BENCH_DB_URL"] = database_url
        return env


def prefect_settings(prefect_home: Path) -> dict[str, str]:
    """Prefect settings shared by its local runs and its server: own home, no analytics."""
    return {
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_CLI_PROMPT": "false",
        "DO_NOT_TRACK": "1",
    }


SYSTEMS: tuple[System, ...] = (
    System(
        name="aloft",
        env=None,
        workloads="aloft",
        summary="this repository, its own .venv; workflows called as functions",
        import_module="aloft",
        api_import="from aloft import task, workflow",
        cli="aloft",
        cli_runs_files=True,
        packages=("aloft", "msgspec", "click", "pydantic"),
    ),
    System(
        name="flytekit",
        env="flytekit",
        workloads="flytekit",
        summary="flytekit local execution: workflows called as functions",
        import_module="flytekit",
        api_import="from flytekit import task, workflow",
        cli="pyflyte",
        cli_runs_files=True,
        packages=("flytekit", "flyteidl", "pandas", "pyarrow", "numpy"),
    ),
    System(
        name="prefect",
        env="prefect",
        workloads="prefect",
        summary="Prefect default local mode: a temporary server inside each process",
        import_module="prefect",
        api_import="from prefect import flow, task",
        cli="prefect",
        packages=("prefect", "pydantic", "sqlalchemy", "pandas", "pyarrow", "numpy"),
    ),
    System(
        name="prefect-server",
        env="prefect",
        workloads="prefect",
        summary="Prefect against one `prefect server start` on 127.0.0.1, started beforehand",
        packages=("prefect",),
        same_commands_as="prefect",
        server="prefect",
    ),
    System(
        name="floor",
        env="floor",
        workloads="floor",
        summary="the same functions called in a plain Python loop, no orchestration",
        packages=("pandas", "pyarrow", "numpy"),
    ),
    System(
        name="aloft-durable",
        env=None,
        workloads="aloft_durable",
        summary="aloft durable execution: SQLite in the run's TMPDIR, a pool of 2 worker processes",
        packages=("aloft", "sqlalchemy"),
        same_commands_as="aloft",
        database="sqlite",
    ),
    System(
        name="aloft-durable-pg",
        env=None,
        workloads="aloft_durable",
        summary="aloft durable execution: a fresh PostgreSQL database, 2 worker processes",
        packages=("aloft", "sqlalchemy", "psycopg"),
        same_commands_as="aloft",
        database="postgres",
    ),
    System(
        name="aloft-server",
        env=None,
        workloads="aloft_server",
        summary="aloft's control plane: one `aloft serve` on SQLite with 2 worker processes on "
        "127.0.0.1, started beforehand; workloads register, launch and wait through its API",
        packages=("aloft", "fastapi", "uvicorn", "httpx", "sqlalchemy"),
        same_commands_as="aloft",
        server="aloft",
        listed_workloads_only=True,
    ),
    System(
        name="ray",
        env="ray",
        workloads="ray",
        summary="Ray remote functions on a local 2-CPU cluster started in each process (loopback)",
        import_module="ray",
        api_import="from ray import get, remote",
        cli="ray",
        packages=("ray",),
        short_tmp_variable="RAY_TMPDIR",
    ),
    System(
        name="dbos",
        env="dbos",
        workloads="dbos",
        summary="DBOS Transact durable workflows, steps in-process, SQLite in the run's TMPDIR",
        import_module="dbos",
        api_import="from dbos import DBOS",
        cli="dbos",
        packages=("dbos", "sqlalchemy"),
        database="sqlite",
    ),
    System(
        name="dbos-pg",
        env="dbos",
        workloads="dbos",
        summary="DBOS Transact durable workflows, steps in-process, a fresh PostgreSQL database",
        packages=("dbos", "sqlalchemy", "psycopg"),
        same_commands_as="dbos",
        database="postgres",
    ),
)

SYSTEMS_BY_NAME = {system.name: system for system in SYSTEMS}
