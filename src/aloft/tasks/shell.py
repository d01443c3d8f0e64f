"""``ShellTask``: a shell script as a task, with typed inputs and file or folder outputs.

The script is a template over the inputs (``{inputs.x}``), the outputs' locations
(``{outputs.y}``) and the task context (``{ctx.working_directory}``); files and folders given
as inputs appear as local paths. Each ``OutputLocation`` names where the script writes one
output, itself a template over the inputs; a relative location is taken from the task's
working directory, where the script runs. A script that exits with a non-zero code fails
the attempt with that code and the end of its stderr; like flytekit, aloft counts that as
recoverable, so ``retries`` apply.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aloft.errors import DecoratorError, FlyteRecoverableException, UserError
from aloft.sdk.context import current_context
from aloft.sdk.interface import Interface, declared_types
from aloft.sdk.location import caller_location, find_local_file
from aloft.sdk.python_task import PythonInstanceTask
from aloft.tasks.processes import run_command
from aloft.tasks.templates import TemplateError, check_template, render
from aloft.types.directories import FlyteDirectory
from aloft.types.files import FlyteFile

T = TypeVar("T")


@dataclass
class OutputLocation:
    """Where the script writes one output.

    Attributes:
        var: The output's name.
        var_type: ``FlyteFile`` or ``FlyteDirectory`` (or a formatted subclass).
        location: The path, a template over the inputs (``"{inputs.name}.csv"``).
    """

    var: str
    var_type: type[Any]
    location: str | os.PathLike[str]


class ShellScriptError(FlyteRecoverableException):
    """A shell task's script failed; the message has its exit code and the end of stderr."""


class ShellTask(PythonInstanceTask[T]):
    """A task that runs a shell script.

    Args:
        name: The task's name.
        debug: Print the script, with its fields filled in, before running it.
        script: The script, a template (give this or ``script_file``).
        script_file: A file holding the script (absolute, or relative to the working
            directory, the defining module's folder or its project folder).
        task_config: Not supported (flytekit takes a pod configuration here).
        shell: The shell that runs the script.
        inputs: Input name to type (``kwtypes(x=int, f=FlyteFile)``).
        output_locs: Where the script writes each output.
        **kwargs: ``metadata=TaskMetadata(...)`` and the other ``PythonTask`` settings.
    """

    def __init__(
        self,
        name: str,
        debug: bool = False,
        script: str | None = None,
        script_file: str | None = None,
        task_config: T | None = None,
        shell: str = "/bin/sh",
        inputs: dict[str, Any] | None = None,
        output_locs: Iterable[OutputLocation] | None = None,
        **kwargs: Any,
    ) -> None:
        self._output_locs = _locations(output_locs)
        outputs = {loc.var: loc.var_type for loc in self._output_locs if _is_output(loc)}
        super().__init__(
            task_type="shell",
            name=name,
            task_config=task_config,
            interface=Interface(
                inputs=declared_types(inputs, "inputs"), defaults={}, outputs=outputs
            ),
            **kwargs,
        )
        if task_config is not None:
            raise DecoratorError(f"{self.what}: ShellTask takes no task_config")
        if (script is None) == (script_file is None):
            raise DecoratorError(f"{self.what}: give either script or script_file (one of them)")
        if script is not None and not isinstance(script, str):
            raise DecoratorError(f"{self.what}: script must be a string, got {script!r}")
        if not isinstance(shell, str) or not shell:
            raise DecoratorError(f"{self.what}: shell must be the path of a shell, got {shell!r}")
        self._debug = debug
        self._shell = shell
        self._script_file = self._find_script(script_file) if script_file is not None else None
        self._script = script if script is not None else self._read_script()
        self._check_outputs()
        self._check_templates()

    @property
    def script(self) -> str:
        """The script template."""
        return self._script

    @property
    def script_file(self) -> str | None:
        """The file the script was read from, if any."""
        return self._script_file

    def get_custom(self, settings: Any = None) -> dict[str, Any]:
        return {
            "script": self._script,
            "shell": self._shell,
            "output_locations": {loc.var: os.fspath(loc.location) for loc in self._output_locs},
        }

    def execute(self, **kwargs: Any) -> Any:
        """Fill in the script, run it in the task's working directory, and return its
        outputs as files or folders."""
        context = current_context()
        workdir = Path(context.working_directory)
        paths = {
            loc.var: str(workdir / render(os.fspath(loc.location), kwargs, {}, context))
            for loc in self._output_locs
        }
        script = render(self._script, kwargs, paths, context)
        if self._debug:
            print(f"{'=' * 40}\n{script}\n{'=' * 40}", flush=True)
        self._run(script, workdir)
        values = [self._output(loc, paths[loc.var]) for loc in self._output_locs]
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def _run(self, script: str, workdir: Path) -> None:
        try:
            finished = run_command(script, shell=self._shell, cwd=workdir)
        except FileNotFoundError:
            raise UserError(f"ShellTask {self.name}: no shell at {self._shell}") from None
        if finished.returncode != 0:
            raise ShellScriptError(f"ShellTask {self.name}: the script {finished.describe()}")

    def _output(self, loc: OutputLocation, path: str) -> Any:
        is_file = issubclass(loc.var_type, FlyteFile)
        if not (os.path.isfile(path) if is_file else os.path.isdir(path)):
            kind = "file" if is_file else "folder"
            raise UserError(
                f"ShellTask {self.name}: the script did not write output {loc.var!r}: "
                f"no {kind} at {path}"
            )
        return loc.var_type(path)

    def _find_script(self, script_file: str) -> str:
        if not isinstance(script_file, str | os.PathLike):
            raise DecoratorError(f"{self.what}: script_file must be a path, got {script_file!r}")
        found = find_local_file(os.fspath(script_file), self._site)
        if found is None:
            raise DecoratorError(f"{self.what}: script_file {script_file} does not exist")
        return str(found)

    def _read_script(self) -> str:
        assert self._script_file is not None
        try:
            return Path(self._script_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DecoratorError(
                f"{self.what}: cannot read script_file {self._script_file}: {exc}"
            ) from None

    def _check_outputs(self) -> None:
        seen: set[str] = set()
        for loc in self._output_locs:
            if not _is_location(loc):
                raise DecoratorError(
                    f"{self.what}: output_locs must hold OutputLocation(...) objects, got {loc!r}"
                )
            if not isinstance(loc.var, str) or not loc.var.isidentifier():
                raise DecoratorError(
                    f"{self.what}: an output's var must be a name (an identifier), got {loc.var!r}"
                )
            if not _is_output(loc):
                raise DecoratorError(
                    f"{self.what}: output {loc.var!r} must be a FlyteFile or FlyteDirectory, "
                    f"got {loc.var_type!r}"
                )
            if not isinstance(loc.location, str | os.PathLike) or not os.fspath(loc.location):
                raise DecoratorError(f"{self.what}: output {loc.var!r} needs a location")
            if loc.var in seen:
                raise DecoratorError(f"{self.what}: output {loc.var!r} is given twice")
            seen.add(loc.var)

    def _check_templates(self) -> None:
        inputs = self.python_interface.inputs
        outputs = [loc.var for loc in self._output_locs]
        try:
            check_template(self._script, inputs, outputs)
            for loc in self._output_locs:
                check_template(os.fspath(loc.location), inputs, (), f"location of {loc.var!r}")
        except TemplateError as exc:
            raise DecoratorError(f"{self.what}: {exc}") from None


def _locations(output_locs: Any) -> list[OutputLocation]:
    """``output_locs`` as a list; a single ``OutputLocation`` not in a list is refused."""
    if output_locs is None:
        return []
    if isinstance(output_locs, OutputLocation | str) or not isinstance(output_locs, Iterable):
        raise DecoratorError(
            f"{caller_location().display}: output_locs must be a list of OutputLocation(...), "
            f"got {output_locs!r}"
        )
    return list(output_locs)


def _is_location(value: Any) -> bool:
    return isinstance(value, OutputLocation)


def _is_output(value: Any) -> bool:
    """Whether ``value`` is an ``OutputLocation`` of a file or folder type."""
    kind = getattr(value, "var_type", None)
    return (
        _is_location(value)
        and isinstance(kind, type)
        and issubclass(kind, FlyteFile | FlyteDirectory)
    )
