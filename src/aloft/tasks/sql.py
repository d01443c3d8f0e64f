"""``SQLTask``: the base of tasks that run a query template over typed inputs.

A query template names inputs as flytekit's do, ``{{ .inputs.limit }}``, and every name must
be an input and every input must be used: both are checked when the task is defined. Each
field is replaced by the input's ``str`` (quote strings in the template). Subclasses
(``SQLite3Task``) implement ``execute``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from aloft.errors import DecoratorError, UserError
from aloft.sdk.interface import Interface, declared_types
from aloft.sdk.python_task import PythonTask
from aloft.tasks.input_fields import INPUT_FIELD, check_input_fields, fill_input_fields

T = TypeVar("T")


class SQLTask(PythonTask[T]):
    """A task defined by a query template.

    Args:
        name: The task's name.
        query_template: The query, with ``{{ .inputs.NAME }}`` fields.
        task_type: The task type recorded in the IR.
        inputs: Input name to type.
        metadata: ``TaskMetadata(...)``.
        task_config: The task type's configuration.
        outputs: Output name to type.
        **kwargs: The other ``PythonTask`` settings.
    """

    def __init__(
        self,
        name: str,
        query_template: str,
        task_type: str = "sql_task",
        inputs: dict[str, Any] | None = None,
        metadata: Any = None,
        task_config: T | None = None,
        outputs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            task_type=task_type,
            name=name,
            task_config=task_config,
            interface=Interface(
                inputs=declared_types(inputs, "inputs"),
                defaults={},
                outputs=declared_types(outputs, "outputs"),
            ),
            metadata=metadata,
            **kwargs,
        )
        if not isinstance(query_template, str) or not query_template.strip():
            raise DecoratorError(f"{self.what}: query_template must be a non-empty string")
        self._query_template = " ".join(query_template.split())
        self._check_query()

    @property
    def query_template(self) -> str:
        """The query template, its whitespace collapsed as flytekit does."""
        return self._query_template

    def execute(self, **kwargs: Any) -> Any:
        """A bare ``SQLTask`` cannot run: only its subclasses know a database."""
        raise UserError(
            f"{self.name} is a plain SQLTask, which knows no database to run on; "
            "use SQLite3Task or DuckDBQuery, or subclass SQLTask and implement execute"
        )

    def get_query(self, **kwargs: Any) -> str:
        """The query with its fields filled in from ``kwargs``."""
        return self.interpolate_query(self._query_template, **kwargs)

    def get_custom(self, settings: Any = None) -> dict[str, Any]:
        return {"query_template": self._query_template}

    @classmethod
    def interpolate_query(cls, query_template: str, **kwargs: Any) -> str:
        """``query_template`` with each ``{{ .inputs.NAME }}`` replaced by ``str`` of its
        value; a name without a value, or a value without a field, is a ``ValueError``."""
        used = {match.group(1) for match in INPUT_FIELD.finditer(query_template)}
        missing = sorted(used - set(kwargs))
        if missing:
            raise ValueError(f"the query names {{{{ .inputs.{missing[0]} }}}}, which is not given")
        unused = sorted(set(kwargs) - used)
        if unused:
            raise ValueError(f"inputs {', '.join(unused)} appear nowhere in the query template")
        return fill_input_fields(query_template, kwargs, lambda _name, value: str(value))

    def _check_query(self) -> None:
        inputs = self.python_interface.inputs
        used = check_input_fields([self._query_template], inputs, self.what, lambda _: "the query")
        unused = [name for name in inputs if name not in used]
        if unused:
            raise DecoratorError(
                f"{self.what}: input {unused[0]!r} appears nowhere in the query; name it as "
                f"{{{{ .inputs.{unused[0]} }}}}"
            )
