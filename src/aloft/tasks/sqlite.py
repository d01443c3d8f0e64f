"""``SQLite3Task``: a query over a SQLite database file, returning a table.

The database is a file (a local path, or a URI of any store aloft reads: ``s3://...``,
``https://...``), optionally a compressed archive holding exactly one file, as flytekit
allows (zip, tar, gztar, bztar, xztar). A local database is opened read-only where it is;
a remote one is copied into the task's working directory first. The result is read with
pandas (``pip install 'aloft[pandas]'``) and returned as the ``results`` output, a
``StructuredDataset`` unless ``output_schema_type`` says otherwise; columns that type
declares are the only ones kept.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aloft.errors import DecoratorError, UserError
from aloft.ir import StructuredDatasetType
from aloft.sdk.context import current_context
from aloft.sdk.location import caller_location, find_local_file
from aloft.storage import store_for
from aloft.tasks.sql import SQLTask
from aloft.types import literal_type_of
from aloft.types.structured import StructuredDataset
from aloft.types.structured.blobs import require

ARCHIVE_SUFFIXES = {
    ".zip": "zip",
    ".tar": "tar",
    ".tar.gz": "gztar",
    ".tgz": "gztar",
    ".tar.bz2": "bztar",
    ".tbz2": "bztar",
    ".tar.xz": "xztar",
    ".txz": "xztar",
}
"""The archive formats a compressed database may come in (``shutil.unpack_archive``'s)."""


@dataclass
class SQLite3Config:
    """Which SQLite database an ``SQLite3Task`` queries.

    Attributes:
        uri: A local path or a URI of the database file (or of an archive holding it).
        compressed: Whether ``uri`` is an archive holding the database.
    """

    uri: str
    compressed: bool = False

    def __post_init__(self) -> None:
        what = f"{caller_location()}: SQLite3Config"
        if not isinstance(self.uri, str) or not self.uri.strip():
            raise DecoratorError(f"{what}: uri must name a database file, got {self.uri!r}")
        if not isinstance(self.compressed, bool):
            raise DecoratorError(f"{what}: compressed must be a bool, got {self.compressed!r}")
        if self.compressed and _archive_format(self.uri) is None:
            raise DecoratorError(
                f"{what}: compressed=True, but {self.uri} is not an archive aloft can unpack "
                f"(it should end in {', '.join(ARCHIVE_SUFFIXES)})"
            )


class SQLite3Task(SQLTask[SQLite3Config]):
    """Runs a query template over a SQLite database and returns the result as a table.

    Args:
        name: The task's name.
        query_template: The query, with ``{{ .inputs.NAME }}`` fields.
        inputs: Input name to type.
        task_config: The ``SQLite3Config`` naming the database.
        output_schema_type: The type of the ``results`` output (a ``StructuredDataset``,
            possibly ``Annotated`` with columns, or a dataframe type).
        container_image: Recorded with the task.
        **kwargs: The other ``PythonTask`` settings.
    """

    def __init__(
        self,
        name: str,
        query_template: str,
        inputs: dict[str, Any] | None = None,
        task_config: SQLite3Config | None = None,
        output_schema_type: Any = None,
        container_image: Any = None,
        **kwargs: Any,
    ) -> None:
        results = output_schema_type if output_schema_type is not None else StructuredDataset
        super().__init__(
            name=name,
            query_template=query_template,
            task_type="sqlite",
            inputs=inputs,
            task_config=task_config,
            outputs={"results": results},
            container_image=container_image,
            **kwargs,
        )
        if not isinstance(task_config, SQLite3Config):
            raise DecoratorError(
                f"{self.what}: task_config must be a SQLite3Config(uri=...), got {task_config!r}"
            )
        if not isinstance(literal_type_of(results), StructuredDatasetType):
            raise DecoratorError(
                f"{self.what}: output_schema_type must be a table type (StructuredDataset or a "
                f"dataframe), got {results!r}"
            )
        self._database = self._locate(task_config.uri)

    @property
    def output_columns(self) -> list[str] | None:
        """The columns the ``results`` type declares, or None for all."""
        declared = literal_type_of(self.python_interface.outputs["results"])
        assert isinstance(declared, StructuredDatasetType)
        return [column.name for column in declared.columns] or None

    def get_custom(self, settings: Any = None) -> dict[str, Any]:
        config = self.task_config
        assert config is not None
        return {
            "query_template": self.query_template,
            "uri": config.uri,
            "compressed": config.compressed,
        }

    def execute(self, **kwargs: Any) -> Any:
        """Run the query and return its result as a table."""
        pd = require("pandas", "pandas", "SQLite3Task")
        query = self.get_query(**kwargs)
        with self._connection() as connection:
            try:
                frame = pd.read_sql_query(query, connection)
            except (sqlite3.Error, pd.errors.DatabaseError) as exc:
                raise UserError(
                    f"SQLite3Task {self.name}: the query failed: {exc}; query: {query}"
                ) from None
        columns = self.output_columns
        if columns is not None:
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise UserError(
                    f"SQLite3Task {self.name}: the query returned no column "
                    f"{', '.join(map(repr, missing))}; it returned {', '.join(frame.columns)}"
                )
            frame = frame[columns]
        return StructuredDataset(dataframe=frame)

    @contextlib.contextmanager
    def _connection(self) -> Any:
        config = self.task_config
        assert config is not None
        path = self._database
        if "://" in path or config.compressed:
            path = self._fetch(path, config.compressed)
        if config.compressed:
            connection = sqlite3.connect(path)
        else:
            connection = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True)
        with contextlib.closing(connection):
            yield connection

    def _fetch(self, uri: str, compressed: bool) -> str:
        """A local copy of the database (unpacked, if it is an archive)."""
        folder = Path(current_context().working_directory) / "sqlite3"
        folder.mkdir(parents=True, exist_ok=True)
        local = folder / uri.rstrip("/").rsplit("/", 1)[-1]
        try:
            if "://" in uri:
                store_for(uri).download_file(uri, local)
            else:
                shutil.copyfile(uri, local)
        except Exception as exc:
            raise UserError(
                f"SQLite3Task {self.name}: cannot fetch the database {uri}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        if not compressed:
            return str(local)
        unpacked = folder / "unpacked"
        try:
            shutil.unpack_archive(local, unpacked, _archive_format(uri))
        except (shutil.ReadError, OSError, EOFError) as exc:
            raise UserError(f"SQLite3Task {self.name}: cannot unpack {uri}: {exc}") from None
        files = [p for p in unpacked.rglob("*") if p.is_file()]
        if len(files) != 1:
            raise UserError(
                f"SQLite3Task {self.name}: the archive {uri} must hold exactly one file, "
                f"it holds {len(files)}"
            )
        return str(files[0])

    def _locate(self, uri: str) -> str:
        """The database as an absolute path or a URI; a local one must exist."""
        if "://" in uri and not uri.startswith("file://"):
            return uri
        found = find_local_file(uri.removeprefix("file://"), self._site)
        if found is None:
            raise DecoratorError(f"{self.what}: SQLite3Config names {uri}, which does not exist")
        return str(found)


def _archive_format(uri: str) -> str | None:
    name = uri.lower().rstrip("/")
    for suffix, fmt in ARCHIVE_SUFFIXES.items():
        if name.endswith(suffix):
            return fmt
    return None
