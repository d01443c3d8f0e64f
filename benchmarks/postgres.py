"""Fresh PostgreSQL databases for the systems that store executions in PostgreSQL.

The server is ``ALOFT_BENCH_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``,
a database the runner connects to for its own statements only). Each measured run of a
PostgreSQL system gets a database of its own, created from ``template0`` before the run (outside
the timing) and dropped after it, so no run sees another's executions, tables or queues; all of
one invocation's databases share a name prefix, and any still there at the end are dropped too.
If the server cannot be reached, the PostgreSQL systems are reported "not available".

The runner talks to the server with psycopg, which the repository's ``.venv`` has (aloft's
PostgreSQL store uses it).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
URL_VARIABLE = "ALOFT_BENCH_POSTGRES_URL"
CONNECT_TIMEOUT_S = 5


def server_url() -> str:
    """The PostgreSQL server (and maintenance database) the runner uses."""
    return os.environ.get(URL_VARIABLE) or DEFAULT_URL


def shown(url: str) -> str:
    """``url`` with any password replaced by ``***``, for logs and RESULTS.md."""
    return re.sub(r"(//[^:/@]+:)[^@/]*@", r"\1***@", url)


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` on the same server."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@dataclass
class PostgresDatabases:
    """Creates and drops this invocation's databases on one server."""

    url: str = field(default_factory=server_url)
    prefix: str = field(default_factory=lambda: f"aloft_bench_{os.getpid()}_")
    _count: int = 0

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)

    def problem(self) -> str:
        """Empty if the server answers and may create databases, else why not."""
        try:
            import psycopg
        except ImportError:
            return "psycopg is not installed in .venv (pip install 'psycopg[binary]')"
        try:
            with self._connect() as conn:
                row = conn.execute(
                    "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
        except psycopg.Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            return f"PostgreSQL at {shown(self.url)} is not reachable: {first}"
        if not row or not row[0]:
            return f"the role of {shown(self.url)} may not create databases"
        return ""

    def create(self) -> tuple[str, str]:
        """A new, empty database: its name and URL."""
        self._count += 1
        name = f"{self.prefix}{self._count:04d}"
        with self._connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name, with_database(self.url, name)

    def drop(self, name: str) -> None:
        """Drop database ``name``, closing any connection a killed run left open."""
        with self._connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> int:
        """Drop every database of this invocation still there; how many were."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (self.prefix,)
            ).fetchall()
            for (name,) in rows:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return len(rows)
