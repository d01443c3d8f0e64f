"""Alembic migrations of the SQL execution store, applied whenever a ``SqlStore`` opens.

A new schema version is a new file in ``versions/`` whose ``down_revision`` names the
newest one; ``HEAD`` below and ``sql_tables.py`` are changed to match (tests compare them).
Alembic is imported only when a database is not at ``HEAD``, which keeps opening a store
(every CLI command does) fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0004"
"""The newest revision in ``versions/``."""

_ADVISORY_LOCK = 0x616C6F6674
"""PostgreSQL advisory lock key ("aloft") held while the schema is upgraded."""


def upgrade(connection: sa.Connection) -> None:
    """Bring the schema to ``HEAD`` within ``connection``'s open transaction.

    On PostgreSQL an advisory lock makes concurrent openers wait for the first; on SQLite
    the caller's write transaction (``BEGIN IMMEDIATE``) does the same.
    """
    if _revision(connection) == HEAD:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    from alembic import command  # only a database to upgrade needs alembic (slow import)

    command.upgrade(config(connection), "head")


def config(connection: sa.Connection) -> Config:
    """An Alembic configuration that runs these migrations on ``connection``.

    For ``alembic.command`` calls by hand, e.g. ``command.downgrade(config(conn), "base")``.
    """
    from alembic.config import Config  # see upgrade

    result = Config()
    result.set_main_option("script_location", str(Path(__file__).parent))
    result.attributes["connection"] = connection
    return result


def _revision(connection: sa.Connection) -> str | None:
    """The revision the database is at; None if it has no schema yet."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
