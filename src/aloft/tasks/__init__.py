"""Ready-made task types, as flytekit ships them: shell scripts, SQL queries, containers and
sensors. Each is a ``PythonTask`` (:mod:`aloft.sdk.python_task`) created at module level and
run by a worker like any other task.

Modules: :mod:`.shell` (``ShellTask``, ``OutputLocation``), :mod:`.sql` (``SQLTask``),
:mod:`.sqlite` (``SQLite3Task``, ``SQLite3Config``), :mod:`.duckdb_query` (``DuckDBQuery``),
:mod:`.container` (``ContainerTask``), :mod:`.sensors` (``BaseSensor``, ``FileSensor``).
"""
