"""PythonTask subclasses and ShellTask as a user defines and runs them."""

from __future__ import annotations

import datetime
import importlib
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from aloft import (
    ContainerTask,
    DuckDBQuery,
    FlyteDirectory,
    FlyteFile,
    ImageSpec,
    OutputLocation,
    PythonTask,
    Resources,
    Secret,
    ShellTask,
    SQLite3Config,
    SQLite3Task,
    TaskMetadata,
    kwtypes,
)
from aloft.compiler import Location
from aloft.errors import DecoratorError, ExecutionFailedError
from aloft.extend import Interface as FlytekitInterface
from aloft.sdk.interface import Interface
from aloft.sdk.location import Site
from aloft.tasks.processes import run_command

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
types: Any = importlib.import_module("tests.fixtures.task_types")
HERE = Path(__file__).name


class Double(PythonTask):
    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(
            task_type="double",
            name=name,
            interface=Interface(inputs={"x": int}, defaults={}, outputs={"y": int}),
            **kwargs,
        )

    def execute(self, **kwargs: Any) -> Any:
        return kwargs["x"] * 2


double = Double(name="double", metadata=TaskMetadata(retries=2, timeout=30))


def test_a_python_task_subclass_runs_and_records_its_metadata() -> None:
    assert double(x=21) == 42
    template = double.template
    assert template.type == "double"
    assert template.metadata.retries == 2
    assert template.metadata.timeout == datetime.timedelta(seconds=30)
    assert (template.code.module, template.code.qualname) == (__name__, "double")


def test_python_task_definitions_are_checked_where_they_are_written() -> None:
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: a task needs a name"):
        Double(name="")
    with pytest.raises(DecoratorError, match=rf"^\S*{HERE}:\d+: task 'd' got an unknown argument"):
        Double(name="d", retries=3)
    with pytest.raises(DecoratorError, match="metadata must be a TaskMetadata"):
        Double(name="d", metadata={"retries": 1})
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: TaskMetadata: cache=True needs"):
        TaskMetadata(cache=True)
    with pytest.raises(DecoratorError, match="retries must be a non-negative int"):
        TaskMetadata(retries=-1)


def test_a_python_task_takes_the_settings_task_takes_with_the_same_checks() -> None:
    image = ImageSpec(name="doubler", packages=["numpy"])
    template = Double(
        name="d",
        container_image=image,
        requests=Resources(cpu="1", mem="1Gi"),
        secret_requests=[Secret(group="db", key="password")],
        enable_deck=True,
        metadata=TaskMetadata(labels={"team": "ml"}),
    )._unbound
    assert template.image_spec is not None and template.container_image == image.image_name()
    assert template.requests.cpu == "1"
    assert [(s.group, s.key) for s in template.secret_requests] == [("db", "password")]
    assert template.enable_deck and template.deck_fields
    assert template.labels == {"team": "ml"}
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: task 'd': .*cpu"):
        Double(name="d", requests=Resources(cpu="lots"))
    with pytest.raises(DecoratorError, match="give enable_deck or disable_deck, not both"):
        Double(name="d", enable_deck=True, disable_deck=False)


def test_a_task_held_by_no_module_level_name_cannot_be_compiled_outside_tests() -> None:
    made = Double(name="floating")  # as if written in lib.py, a module of a project
    made._site = Site("elsewhere", {}, Location("lib.py:3", "lib.py:3"))
    with pytest.raises(DecoratorError, match="not held by a module-level variable"):
        _ = made.template


def test_a_shell_task_fills_in_its_inputs_and_returns_its_output_file() -> None:
    assert types.greet_wf(who="ada", times=2) == "hello ada x2"


def test_a_script_reads_the_task_context(capfd: pytest.CaptureFixture[str]) -> None:
    report = ShellTask(
        name="report", script="echo attempt={ctx.attempt} of {ctx.execution_id.name}"
    )
    report()
    assert re.search(r"attempt=0 of local-\w+", capfd.readouterr().out)


def test_a_failing_script_reports_its_exit_code_and_stderr_tail_after_its_retries() -> None:
    with pytest.raises(ExecutionFailedError) as failure:
        types.failing_wf()
    message = str(failure.value)
    assert "after 2 attempts" in message
    assert "exited with code 3; stderr ends with:\nfirst line\nit went wrong" in message


def test_a_shell_task_takes_files_and_writes_folders(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("abc")
    copy = ShellTask(
        name="copy",
        debug=True,
        script="mkdir -p {outputs.out} && cp {inputs.f} {outputs.out}/copied.txt",
        inputs=kwtypes(f=FlyteFile),
        output_locs=[OutputLocation(var="out", var_type=FlyteDirectory, location="out")],
    )
    folder = copy(f=FlyteFile(str(source)))
    assert (Path(folder.download()) / "copied.txt").read_text() == "abc"


def test_a_script_that_writes_no_output_says_which() -> None:
    silent = ShellTask(
        name="silent",
        script="true",
        output_locs=[OutputLocation(var="out", var_type=FlyteFile, location="out.txt")],
    )
    with pytest.raises(ExecutionFailedError, match="did not write output 'out': no file at"):
        silent()


def test_script_files_are_found_next_to_the_defining_module(tmp_path: Path) -> None:
    script = Path(__file__).parent / "echo_input.sh"
    script.write_text("echo {inputs.word} > {outputs.out}\n")
    try:
        from_file = ShellTask(
            name="from_file",
            script_file="echo_input.sh",
            inputs=kwtypes(word=str),
            output_locs=[OutputLocation(var="out", var_type=FlyteFile, location="o.txt")],
        )
        assert Path(from_file(word="hi").download()).read_text() == "hi\n"
    finally:
        script.unlink()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"script": "echo {inputs.nmae}", "inputs": {"name": str}}, "no input 'nmae'; did you"),
        ({"script": "echo {x}"}, r"refers to \{x\}: a template field is inputs.NAME"),
        ({"script": "echo ${HOME}"}, r"refers to \{HOME\}"),
        ({"script": "echo {outputs.y}"}, "there is no output 'y'"),
        ({"script": "echo }"}, "not a valid template"),
        ({"script": "echo {ctx.nothing}"}, "the task context has no 'nothing'"),
        ({}, "give either script or script_file"),
        ({"script": "x", "script_file": "y"}, "give either script or script_file"),
        ({"script_file": "no/such/script.sh"}, "script_file no/such/script.sh does not exist"),
        (
            {"script": "x", "output_locs": [OutputLocation("o", int, "x")]},
            "output 'o' must be a FlyteFile or FlyteDirectory",
        ),
        ({"script": "x", "output_locs": ["o.txt"]}, "must hold OutputLocation"),
        ({"script": 42}, "script must be a string, got 42"),
        (
            {"script": "x", "output_locs": [OutputLocation(3, FlyteFile, "x")]},  # type: ignore[arg-type]
            "an output's var must be a name",
        ),
        (
            {
                "script": "x",
                "output_locs": [OutputLocation("o", FlyteFile, "{inputs.missing}.txt")],
            },
            "location of 'o' refers to {inputs.missing}",
        ),
    ],
)
def test_bad_shell_tasks_are_refused_where_they_are_defined(
    arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: task 'bad': .*{message}"):
        ShellTask(name="bad", **arguments)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ShellTask(name="bad", script="echo", inputs=["x"]),
        lambda: SQLite3Task("bad", "SELECT 1", inputs=["x"], task_config=SQLite3Config(uri="a.db")),
        lambda: ContainerTask(name="bad", image="alpine", command=["echo"], outputs=["y"]),
        lambda: DuckDBQuery(name="bad", query="SELECT 1", inputs=["x"]),
        lambda: FlytekitInterface(inputs={"x": int}, outputs=["y"]),
    ],
)  # fmt: skip
def test_inputs_and_outputs_that_are_no_mapping_of_names_to_types_are_named(make: Any) -> None:
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: (in|out)puts must map names to "):
        make()


def test_output_locs_given_one_location_not_in_a_list_is_named() -> None:
    location = OutputLocation("o", FlyteFile, "o.txt")
    with pytest.raises(DecoratorError, match=rf"{HERE}:\d+: output_locs must be a list of "):
        ShellTask(name="bad", script="x", output_locs=location)  # type: ignore[arg-type]


def test_a_commands_stderr_is_passed_on_as_it_comes_and_its_tail_kept(
    capfd: pytest.CaptureFixture[str],
) -> None:
    script = "for i in $(seq 1 25); do echo line $i >&2; done; echo done; exit 4"
    finished = run_command(script, shell="/bin/sh")
    out, err = capfd.readouterr()
    assert out == "done\n" and err.count("line") == 25
    assert finished.returncode == 4
    assert finished.stderr_tail == tuple(f"line {i}" for i in range(6, 26))
    assert finished.describe().startswith("exited with code 4; stderr ends with:\nline 6\n")
