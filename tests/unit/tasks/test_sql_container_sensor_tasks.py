"""SQL tasks, ContainerTask and sensors as a user defines and runs them."""

from __future__ import annotations

import importlib
import os
import stat
import sys
import threading
import zipfile
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import pytest

from aloft import (
    BaseSensor,
    ContainerTask,
    DuckDBQuery,
    FileSensor,
    FlyteFile,
    SQLite3Config,
    SQLite3Task,
    SQLTask,
    StructuredDataset,
    TaskMetadata,
    kwtypes,
)
from aloft.errors import DecoratorError, ExecutionFailedError

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
types: Any = importlib.import_module("tests.fixtures.task_types")
HERE = Path(__file__).name
DATABASE = str(ROOT / "tests" / "fixtures" / "data" / "shop.db")


def test_a_sqlite_query_template_runs_on_typed_inputs() -> None:
    assert types.cheap_wf(limit=20.0) == ["lamp", "pan"]


def test_declared_columns_are_the_ones_returned_and_archives_are_unpacked(tmp_path: Path) -> None:
    archive = tmp_path / "shop.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(DATABASE, "shop.db")
    query = SQLite3Task(
        name="priced",
        query_template="SELECT name, price, category FROM products WHERE category='{{.inputs.c}}'",
        inputs=kwtypes(c=str),
        output_schema_type=Annotated[StructuredDataset, kwtypes(name=str, price=float)],
        task_config=SQLite3Config(uri=str(archive), compressed=True),
    )
    table = query(c="office").open(pd.DataFrame).all()
    assert list(table.columns) == ["name", "price"]
    assert sorted(table["name"]) == ["chair", "desk"]


def test_a_failing_query_names_the_error_and_the_query() -> None:
    broken = SQLite3Task(
        name="broken",
        query_template="SELECT nope FROM products",
        task_config=SQLite3Config(uri=DATABASE),
    )
    with pytest.raises(ExecutionFailedError, match=r"the query failed: .*no such column: nope"):
        broken()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: SQLite3Task("q", "SELECT {{ .inputs.lmit }}", inputs={"limit": int},
                                task_config=SQLite3Config(uri=DATABASE)),
            r"names \{\{ .inputs.lmit \}\}, but there is no input 'lmit'; did you mean 'limit'",
        ),
        (
            lambda: SQLite3Task("q", "SELECT 1", inputs={"limit": int},
                                task_config=SQLite3Config(uri=DATABASE)),
            "input 'limit' appears nowhere in the query",
        ),
        (lambda: SQLite3Task("q", "SELECT 1"), "task_config must be a SQLite3Config"),
        (
            lambda: SQLite3Task("q", "SELECT 1", task_config=SQLite3Config(uri="no/such.db")),
            "SQLite3Config names no/such.db, which does not exist",
        ),
        (lambda: SQLite3Config(uri=""), "uri must name a database file"),
        (lambda: SQLite3Config(uri="a.db", compressed="yes"), "compressed must be a bool"),
        (lambda: SQLite3Config(uri="a.db", compressed=True), "not an archive aloft can unpack"),
        (
            lambda: SQLite3Task("q", "SELECT 1", task_config=SQLite3Config(uri=DATABASE),
                                output_schema_type=int),
            "output_schema_type must be a table type",
        ),
    ],
)  # fmt: skip
def test_bad_sql_tasks_are_refused_where_they_are_defined(make: Any, message: str) -> None:
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: .*{message}"):
        make()


def test_a_plain_sql_task_says_it_needs_a_database() -> None:
    plain = SQLTask(name="plain", query_template="SELECT 1")
    with pytest.raises(ExecutionFailedError, match="plain SQLTask, which knows no database"):
        plain()


def test_duckdb_queries_tables_parquet_files_and_parameters(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    over_frame = DuckDBQuery(
        name="sum_a", query="SELECT SUM(a) AS s FROM t", inputs=kwtypes(t=pd.DataFrame)
    )
    assert over_frame(t=frame).open(pd.DataFrame).all()["s"][0] == 6
    frame.to_parquet(tmp_path / "f.parquet")
    over_file = DuckDBQuery(
        name="count_file", query="SELECT COUNT(*) AS n FROM f", inputs=kwtypes(f=FlyteFile)
    )
    assert over_file(f=FlyteFile(str(tmp_path / "f.parquet"))).open(pd.DataFrame).all()["n"][0] == 3
    with_params = DuckDBQuery(
        name="params",
        query=[
            "CREATE TABLE items(v INTEGER)",
            "INSERT INTO items VALUES (?)",
            "SELECT * FROM items",
        ],
        inputs=kwtypes(params=list[list[list[int]]]),
    )
    table = with_params(params=[[[5], [7]]]).open(pd.DataFrame).all()
    assert list(table["v"]) == [5, 7]
    failing = DuckDBQuery(name="failing", query="SELECT * FROM nowhere")
    with pytest.raises(ExecutionFailedError, match=r"query 1 failed: .*nowhere"):
        failing()
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: .*input 'x' must be a table"):
        DuckDBQuery(name="bad", query="SELECT 1", inputs=kwtypes(x=int))


def container(**overrides: Any) -> ContainerTask:
    arguments: dict[str, Any] = {
        "name": "square",
        "image": "alpine:3.20",
        "command": ["sh", "-c", "echo $(({{.inputs.x}} * {{.inputs.x}})) > /var/outputs/y"],
        "inputs": kwtypes(x=int),
        "outputs": kwtypes(y=int),
        "output_data_dir": "/var/outputs",
        "metadata": TaskMetadata(retries=1),
    }
    return ContainerTask(**{**arguments, **overrides})


def test_a_container_task_records_its_container_in_the_ir() -> None:
    template = container().template
    assert template.type == "raw-container"
    assert template.container_image == "alpine:3.20"
    assert template.config["container.output_data_dir"] == "/var/outputs"
    assert "{{.inputs.x}}" in template.config["container.command"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"command": ["echo", "{{.inputs.z}}"]}, r"names \{\{.inputs.z\}\}, but there is no input"),
        ({"command": []}, "command must be a non-empty list of strings"),
        ({"output_data_dir": None}, "output_data_dir is needed for 'y'"),
        ({"output_data_dir": "relative"}, "must be an absolute path"),
        ({"image": ""}, "needs an image"),
        ({"metadata_format": "JSON"}, "metadata_format must be a ContainerTask.MetadataFormat"),
    ],
)
def test_bad_container_tasks_are_refused_where_they_are_defined(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: .*{message}"):
        container(**overrides)


def test_without_a_usable_engine_a_container_task_says_what_it_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A docker client whose daemon cannot be reached, as on this machine, and no podman.
    fake = tmp_path / "bin"
    fake.mkdir()
    _script(fake / "docker", "echo 'Cannot connect to the Docker daemon' >&2; exit 1")
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    with pytest.raises(ExecutionFailedError) as failure:
        container()(x=3)
    message = str(failure.value)
    assert "needs docker or podman to run its container, and neither is usable here" in message
    assert "cannot reach its engine (Cannot connect to the Docker daemon)" in message
    assert "podman: not found on PATH" in message


def test_a_container_task_runs_with_an_engine_and_reads_its_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This machine has no container engine, so this test stands one in: a "docker" that
    # answers `info` and runs `run`'s command on the host, with the output folder mounted
    # by rewriting the path. It checks the command line aloft builds and how outputs are read.
    fake = tmp_path / "bin"
    fake.mkdir()
    _script(
        fake / "docker",
        'if [ "$1" = info ]; then echo 27.0; exit 0; fi\n'
        'shift; shift; out=""\n'
        'while [ "$1" = "-v" ] || [ "$1" = "-e" ]; do\n'
        '  if [ "$1" = "-v" ]; then out="${2%%:*}"; fi; shift; shift; done\n'
        "shift\n"  # the image
        'cmd=$(printf "%s" "$3" | sed "s#/var/outputs#$out#g")\n'
        '"$1" "$2" "$cmd"\n',
    )
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    assert container()(x=7) == 49
    _script(fake / "docker", 'if [ "$1" = info ]; then exit 0; fi\necho broken >&2; exit 125')
    with pytest.raises(ExecutionFailedError, match="the container exited with code 125"):
        container()(x=7)


def _script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_a_file_sensor_waits_until_the_file_exists(tmp_path: Path) -> None:
    target = tmp_path / "arrives.txt"
    timer = threading.Timer(0.3, lambda: target.write_text("here"))
    timer.start()
    try:
        assert types.sensed_wf(path=str(target)) == "here"
    finally:
        timer.cancel()


def test_a_sensor_gives_up_at_its_timeout_naming_what_it_waited_for(tmp_path: Path) -> None:
    impatient = FileSensor(name="impatient", timeout=0.3)
    with pytest.raises(ExecutionFailedError, match=r"gave up waiting for a file at .*after 0.3s"):
        impatient(path=str(tmp_path / "never"))


class Countdown(BaseSensor):
    def poke(self, n: int) -> bool:  # type: ignore[override]
        return n <= 0


class Untyped(BaseSensor):
    def poke(self, n):  # type: ignore[no-untyped-def, override]
        return True


class Unresolvable(BaseSensor):
    def poke(self, n: Nowhere) -> bool:  # type: ignore[name-defined, override]  # noqa: F821
        return True


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: FileSensor(name="s", timeout=-1), "timeout must be positive"),
        (lambda: FileSensor(name="s", timeout="10s"), "timeout must be seconds or a timedelta"),
        (
            lambda: FileSensor(name="s", timeout=5, metadata=TaskMetadata(timeout=5)),
            "either as timeout= or in TaskMetadata",
        ),
        (lambda: Untyped(name="u"), "parameter 'n' has no type annotation"),
        (lambda: Unresolvable(name="u"), "cannot resolve its type annotations: .*Nowhere"),
    ],
)
def test_bad_sensors_are_refused_where_they_are_defined(make: Any, message: str) -> None:
    with pytest.raises(
        DecoratorError, match=rf"test_sql_container_sensor_tasks\.py:\d+: .*{message}"
    ):
        make()


def test_a_sensor_takes_its_inputs_from_poke() -> None:
    countdown = Countdown(name="countdown")
    assert list(countdown.python_interface.inputs) == ["n"]
    assert countdown(n=0) is None
