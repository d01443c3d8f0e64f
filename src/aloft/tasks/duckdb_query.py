"""``DuckDBQuery``: SQL over tables and parquet files with DuckDB, as flytekit's duckdb plugin.

Each input that is a table (a ``StructuredDataset``, a pandas or polars DataFrame, a pyarrow
Table) is registered under its input name; a ``FlyteFile`` input (a parquet file) becomes a
view of that name; a ``list`` input gives the query parameters (a list per query when there
are several), a ``str`` input the same as JSON. ``query`` is one statement or a list run in
order; the last one's rows are the ``result`` output, a ``StructuredDataset``. Each run uses
a fresh in-memory database. DuckDB is an extra: ``pip install 'aloft[duckdb]'``.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from aloft.errors import DecoratorError, TypeTransformerError, UserError
from aloft.ir import StructuredDatasetType
from aloft.sdk.interface import Interface, declared_types
from aloft.sdk.python_task import PythonInstanceTask
from aloft.types import literal_type_of
from aloft.types.files import FlyteFile
from aloft.types.structured import StructuredDataset
from aloft.types.structured.blobs import require


class DuckDBQuery(PythonInstanceTask[None]):
    """Runs DuckDB queries over its inputs and returns the last one's rows.

    Args:
        name: The task's name.
        query: One query, or a list of queries run in order.
        inputs: Input name to type: tables, parquet files (``FlyteFile``), or the query
            parameters (a ``list``, or a ``str`` of JSON).
        **kwargs: The other ``PythonTask`` settings.
    """

    def __init__(
        self,
        name: str,
        query: str | list[str],
        inputs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            task_type="duckdb",
            name=name,
            interface=Interface(
                inputs=declared_types(inputs, "inputs"),
                defaults={},
                outputs={"result": StructuredDataset},
            ),
            **kwargs,
        )
        queries = [query] if isinstance(query, str) else query
        if (
            not isinstance(queries, list)
            or not queries
            or not all(isinstance(q, str) and q.strip() for q in queries)
        ):
            raise DecoratorError(
                f"{self.what}: query must be a statement or a non-empty list of statements"
            )
        self._queries = queries
        for input_name, py_type in self.python_interface.inputs.items():
            if _kind(py_type) is None:
                raise DecoratorError(
                    f"{self.what}: input {input_name!r} must be a table, a FlyteFile of parquet, "
                    f"a list of query parameters or a str of them as JSON, got {py_type!r}"
                )

    def get_custom(self, settings: Any = None) -> dict[str, Any]:
        return {"query": self._queries}

    def execute(self, **kwargs: Any) -> StructuredDataset:
        """Run the queries on a fresh in-memory database."""
        duckdb = require("duckdb", "duckdb", "DuckDBQuery")
        pa = require("pyarrow", "duckdb", "DuckDBQuery")
        connection = duckdb.connect(":memory:")
        try:
            params = self._load(connection, pa, kwargs)
            table = self._run(connection, duckdb, params)
        finally:
            connection.close()
        return StructuredDataset(dataframe=table)

    def _load(self, connection: Any, pa: Any, values: dict[str, Any]) -> Any:
        """Register the tables and files; return the query parameters, if any."""
        params = None
        for name, py_type in self.python_interface.inputs.items():
            value = values[name]
            kind = _kind(py_type)
            if kind == "table":
                if isinstance(value, StructuredDataset):
                    value = value.open(pa.Table).all()
                connection.register(name, value)
            elif kind == "file":
                path = str(value.download()).replace("'", "''")
                connection.execute(
                    f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')"
                ).fetchall()
            elif kind == "json":
                try:
                    params = json.loads(value)
                except ValueError as exc:
                    raise UserError(f"DuckDBQuery {self.name}: input {name!r}: {exc}") from None
            else:
                params = value
        return params

    def _run(self, connection: Any, duckdb: Any, params: Any) -> Any:
        """Run every query; the last one's rows as a pyarrow Table."""
        per_query = bool(params) and isinstance(params[0], list)
        used = -1
        for position, query in enumerate(self._queries):
            last = position == len(self._queries) - 1
            arguments = None
            if "?" in query or "$" in query:
                if per_query:
                    used += 1
                    if used >= len(params):
                        raise UserError(
                            f"DuckDBQuery {self.name}: query {position + 1} takes parameters, "
                            f"but only {len(params)} sets were given"
                        )
                    arguments = params[used]
                elif params:
                    arguments = params
                else:
                    raise UserError(
                        f"DuckDBQuery {self.name}: query {position + 1} takes parameters, "
                        "but no list input gives them"
                    )
            try:
                if last:
                    relation = connection.sql(query, params=arguments)
                    if relation is None:
                        raise UserError(f"DuckDBQuery {self.name}: the last query returns no rows")
                    return relation.to_arrow_table()
                if arguments is not None and per_query and "insert" in query.lower():
                    connection.executemany(query, arguments)
                else:
                    connection.execute(query, arguments).fetchall()
            except duckdb.Error as exc:
                raise UserError(
                    f"DuckDBQuery {self.name}: query {position + 1} failed: {exc}"
                ) from None
        raise AssertionError("unreachable: there is at least one query")  # pragma: no cover


def _kind(py_type: Any) -> str | None:
    """``table``, ``file``, ``params`` or ``json``: how an input of ``py_type`` is used."""
    if py_type is str:
        return "json"
    if py_type is list or typing.get_origin(py_type) is list:
        return "params"
    if isinstance(py_type, type) and issubclass(py_type, FlyteFile):
        return "file"
    try:
        return "table" if isinstance(literal_type_of(py_type), StructuredDatasetType) else None
    except TypeTransformerError:
        return None
