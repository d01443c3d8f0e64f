"""A return annotation written as a tuple of types (``-> (float, float)``), as flytekit
reads it: outputs ``o0``, ``o1``, ... of those types."""

from __future__ import annotations

import pytest

from aloft import task, workflow
from aloft.errors import CompileError, DecoratorError


@task
def split(x: float) -> (float, float):  # type: ignore[syntax]
    return x / 2, x * 2


@workflow
def halves(x: float) -> (float, float):  # type: ignore[syntax]
    low, high = split(x=x)
    return high, low


def test_a_tuple_of_types_declares_one_output_per_type() -> None:
    assert split.python_interface.outputs == {"o0": float, "o1": float}
    assert split(x=3.0) == (1.5, 6.0)
    assert halves(x=3.0) == (6.0, 1.5)


def test_the_outputs_are_type_checked_like_any_other() -> None:
    @task
    def wants_int(n: int) -> int:
        return n

    with pytest.raises(CompileError, match="float"):

        @workflow
        def mistyped(x: float) -> int:
            low, _ = split(x=x)
            return wants_int(n=low)


def test_a_tuple_naming_an_unknown_type_is_a_decorator_error() -> None:
    with pytest.raises(DecoratorError, match=r"return annotation.*NoSuchType"):

        @task
        def broken(x: int) -> (int, NoSuchType):  # type: ignore[name-defined]  # noqa: F821
            return x, x
