"""``ContainerTask``: a task that runs a command in a container image, as flytekit's.

It compiles and registers like any task; its image, command, arguments, data folders and
metadata format are recorded in the IR. To run it, a worker needs docker or podman with an
engine it can reach (:mod:`.container_engine`); without one the attempt fails saying which it
looked for and why each cannot be used: nothing is run in its place.

Inputs reach the command as flytekit's CoPilot gives them: ``{{.inputs.x}}`` in the command
or arguments becomes the value (``true``/``false`` for booleans), and a file or folder input
is mounted at ``{input_data_dir}/x``. The command writes each output to a file named after
it in ``output_data_dir``: its text is parsed as the output's type, or, for a ``FlyteFile``
or ``FlyteDirectory`` output, that path is the output.
"""

from __future__ import annotations

import enum
import json
import os
from pathlib import Path
from typing import Any

from aloft.errors import DecoratorError, TypeTransformerError, UserError
from aloft.sdk.context import current_context
from aloft.sdk.interface import Interface, declared_types
from aloft.sdk.python_task import PythonTask
from aloft.tasks.container_engine import find_engine
from aloft.tasks.input_fields import check_input_fields, fill_input_fields
from aloft.tasks.processes import run_command
from aloft.types import parse_cli_value
from aloft.types.blob_paths import BlobPath
from aloft.types.directories import FlyteDirectory
from aloft.types.files import FlyteFile


class ContainerTask(PythonTask[None]):
    """Runs ``command`` (with ``arguments``) in ``image``.

    Args:
        name: The task's name.
        image: The image (a name, or an ``ImageSpec``).
        command: The command, a list of strings, ``{{.inputs.x}}`` fields allowed.
        inputs: Input name to type.
        metadata: ``TaskMetadata(...)``.
        arguments: Arguments after the command, ``{{.inputs.x}}`` fields allowed.
        outputs: Output name to type; each is read from ``output_data_dir``.
        requests: Resources requested.
        limits: Resource limits.
        input_data_dir: Where file and folder inputs are mounted in the container.
        output_data_dir: Where the command writes its outputs in the container.
        metadata_format: The format flytekit's CoPilot would write inputs in (recorded).
        io_strategy: How flytekit's CoPilot would move data (recorded).
        secret_requests: Secrets the task asks for.
        pod_template: Recorded with the task.
        pod_template_name: Recorded with the task.
        local_logs: Accepted for flytekit compatibility: the command's output is always
            in the attempt's log.
        resources: Resources requested (another spelling of ``requests``).
        **kwargs: The other ``PythonTask`` settings.
    """

    class MetadataFormat(enum.Enum):
        """How CoPilot writes inputs for the container."""

        JSON = "JSON"
        YAML = "YAML"
        PROTO = "PROTO"

    class IOStrategy(enum.Enum):
        """How CoPilot moves data in and out."""

        DOWNLOAD_EAGER = "DOWNLOAD_EAGER"
        DOWNLOAD_STREAM = "DOWNLOAD_STREAM"
        DO_NOT_DOWNLOAD = "DO_NOT_DOWNLOAD"
        UPLOAD_EAGER = "UPLOAD_EAGER"
        UPLOAD_ON_EXIT = "UPLOAD_ON_EXIT"
        DO_NOT_UPLOAD = "DO_NOT_UPLOAD"

    def __init__(
        self,
        name: str,
        image: Any,
        command: list[str],
        inputs: dict[str, Any] | None = None,
        metadata: Any = None,
        arguments: list[str] | None = None,
        outputs: dict[str, Any] | None = None,
        requests: Any = None,
        limits: Any = None,
        input_data_dir: str | None = None,
        output_data_dir: str | None = None,
        metadata_format: ContainerTask.MetadataFormat = MetadataFormat.JSON,
        io_strategy: ContainerTask.IOStrategy | None = None,
        secret_requests: Any = None,
        pod_template: Any = None,
        pod_template_name: str | None = None,
        local_logs: bool = False,
        resources: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            task_type="raw-container",
            name=name,
            interface=Interface(
                inputs=declared_types(inputs, "inputs"),
                defaults={},
                outputs=declared_types(outputs, "outputs"),
            ),
            metadata=metadata,
            container_image=image,
            requests=requests,
            limits=limits,
            resources=resources,
            secret_requests=secret_requests,
            pod_template=pod_template,
            pod_template_name=pod_template_name,
            **kwargs,
        )
        self._image = self._unbound.container_image
        if not self._image:
            raise DecoratorError(f"{self.what}: a ContainerTask needs an image")
        self._command = self._strings(command, "command", required=True)
        self._arguments = self._strings(arguments or [], "arguments", required=False)
        if not isinstance(metadata_format, ContainerTask.MetadataFormat):
            raise DecoratorError(
                f"{self.what}: metadata_format must be a ContainerTask.MetadataFormat, "
                f"got {metadata_format!r}"
            )
        if io_strategy is not None and not isinstance(io_strategy, ContainerTask.IOStrategy):
            raise DecoratorError(
                f"{self.what}: io_strategy must be a ContainerTask.IOStrategy, got {io_strategy!r}"
            )
        self._input_data_dir = self._folder(input_data_dir, "input_data_dir", self._file_inputs())
        self._output_data_dir = self._folder(
            output_data_dir, "output_data_dir", list(self.python_interface.outputs)
        )
        self._metadata_format = metadata_format
        self._io_strategy = io_strategy
        self._check_fields()

    def get_config(self, settings: Any = None) -> dict[str, str]:
        return {
            "container.command": json.dumps(self._command),
            "container.arguments": json.dumps(self._arguments),
            "container.input_data_dir": self._input_data_dir,
            "container.output_data_dir": self._output_data_dir,
            "container.metadata_format": self._metadata_format.value,
            "container.io_strategy": self._io_strategy.value if self._io_strategy else "",
        }

    def execute(self, **kwargs: Any) -> Any:
        """Run the container with docker or podman and read its outputs."""
        engine = find_engine(f"ContainerTask {self.name} (image {self._image})")
        workdir = Path(current_context().working_directory)
        outputs = workdir / "container-outputs"
        outputs.mkdir(parents=True, exist_ok=True)
        command = [engine, "run", "--rm"]
        for name, value in kwargs.items():
            if isinstance(value, BlobPath):
                command += ["-v", f"{value.download()}:{self._input_data_dir}/{name}:ro"]
        if self.python_interface.outputs:
            command += ["-v", f"{outputs}:{self._output_data_dir}"]
        for key, value in self.environment.items():
            command += ["-e", f"{key}={value}"]
        command.append(self._image)
        command += [self._render(part, kwargs) for part in [*self._command, *self._arguments]]
        finished = run_command(command)
        if finished.returncode != 0:
            raise UserError(f"ContainerTask {self.name}: the container {finished.describe()}")
        declared = self.python_interface.outputs
        values = [self._output(outputs, name, t) for name, t in declared.items()]
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def _render(self, part: str, values: dict[str, Any]) -> str:
        def show(name: str, value: Any) -> str:
            if isinstance(value, BlobPath):
                return f"{self._input_data_dir}/{name}"
            return str(value).lower() if isinstance(value, bool) else str(value)

        return fill_input_fields(part, values, show)

    def _output(self, folder: Path, name: str, py_type: Any) -> Any:
        path = folder / name
        if isinstance(py_type, type) and issubclass(py_type, FlyteFile | FlyteDirectory):
            exists = path.is_file() if issubclass(py_type, FlyteFile) else path.is_dir()
            if not exists:
                raise UserError(
                    f"ContainerTask {self.name}: the container wrote no output {name!r} "
                    f"at {self._output_data_dir}/{name}"
                )
            return py_type(str(path))
        if not path.is_file():
            raise UserError(
                f"ContainerTask {self.name}: the container wrote no output {name!r} "
                f"(a file {self._output_data_dir}/{name})"
            )
        text = path.read_text(encoding="utf-8").strip()
        try:
            return parse_cli_value(text, py_type)
        except TypeTransformerError as exc:
            raise UserError(f"ContainerTask {self.name}: output {name!r}: {exc}") from None

    def _strings(self, value: Any, what: str, required: bool) -> list[str]:
        if (
            not isinstance(value, list | tuple)
            or (required and not value)
            or not all(isinstance(v, str) for v in value)
        ):
            need = "a non-empty list of strings" if required else "a list of strings"
            raise DecoratorError(f"{self.what}: {what} must be {need}, got {value!r}")
        return list(value)

    def _file_inputs(self) -> list[str]:
        return [
            name
            for name, t in self.python_interface.inputs.items()
            if isinstance(t, type) and issubclass(t, BlobPath)
        ]

    def _folder(self, value: str | None, what: str, needed_by: list[str]) -> str:
        if value is None or value == "":
            if needed_by:
                raise DecoratorError(
                    f"{self.what}: {what} is needed for {', '.join(map(repr, needed_by))}"
                )
            return ""
        if not isinstance(value, str) or not value.startswith("/"):
            raise DecoratorError(f"{self.what}: {what} must be an absolute path, got {value!r}")
        return os.path.normpath(value)

    def _check_fields(self) -> None:
        check_input_fields(
            [*self._command, *self._arguments], self.python_interface.inputs, self.what, repr
        )
