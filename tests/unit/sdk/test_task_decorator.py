"""``@task``: forms, recorded settings, and errors at decoration time."""

from __future__ import annotations

import asyncio
import datetime
import importlib
import socket
import sys
from pathlib import Path

import pytest

from aloft import (
    Cache,
    PodTemplate,
    Resources,
    Secret,
    TaskMetadata,
    dynamic,
    eager,
    map_task,
    task,
    workflow,
)
from aloft.errors import CompileError, DecoratorError, ExecutionFailedError, InputError
from aloft.ir import SimpleKind, SimpleType


@task
def double(x: int) -> int:
    return x * 2


def test_a_task_called_outside_a_workflow_runs_and_returns_the_value() -> None:
    assert double(x=21) == 42


@task
def combine(a: int, b: str = "-") -> str:
    return f"{a}{b}"


def test_positional_arguments_bind_to_the_inputs_in_order_as_in_flytekit() -> None:
    assert double(21) == 42
    assert combine(1, "+") == "1+"
    assert combine(2, b="*") == "2*"


def test_too_many_or_doubled_positional_arguments_are_input_errors() -> None:
    with pytest.raises(InputError, match=r"takes 1 inputs \(x\) but was given 2 positional"):
        double(1, 2)
    with pytest.raises(InputError, match="got input 'a' both by position and by name"):
        combine(1, a=2)


def test_a_task_defined_inside_a_function_is_refused_with_its_location(tmp_path: Path) -> None:
    module = tmp_path / "nested_tasks.py"
    module.write_text(
        "from aloft import task\n\n\ndef make():\n    @task\n    def inner(x: int) -> int:\n"
        "        return x\n\n    return inner\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        nested = importlib.import_module("nested_tasks")
        with pytest.raises(
            DecoratorError, match=r"nested_tasks\.py:5: task .*inner is defined inside"
        ):
            nested.make()
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("nested_tasks", None)


def test_the_decorator_works_with_and_without_arguments() -> None:
    @task(retries=2)
    def with_args(x: int) -> int:
        return x

    assert with_args.template.metadata.retries == 2
    assert double.template.metadata.retries == 0
    assert double.__name__ == "double"


def test_the_task_is_named_by_module_and_function() -> None:
    assert double.name == f"{__name__}.double"
    assert double.template.code.module == __name__
    assert double.template.code.qualname == "double"


def test_settings_are_recorded_in_the_ir_even_before_their_feature_exists() -> None:
    @task(
        retries=3,
        timeout=datetime.timedelta(minutes=5),
        interruptible=True,
        requests=Resources(cpu="2", mem="1Gi"),
        limits=Resources(cpu=4, mem="2Gi", gpu=1),
        container_image="ghcr.io/acme/image:1",
        environment={"MODE": "fast"},
        secret_requests=[Secret(group="db", key="password")],
        enable_deck=True,
        pod_template=PodTemplate(labels={"team": "ml"}),
        pod_template_name="gpu-template",
        labels={"a": "b"},
        deprecated="use v2",
    )
    def configured(x: int) -> int:
        return x

    template = configured.template
    assert template.metadata.retries == 3
    assert template.metadata.timeout == datetime.timedelta(minutes=5)
    assert template.metadata.interruptible is True
    assert template.metadata.deprecated == "use v2"
    assert (template.requests.cpu, template.requests.mem) == ("2", "1Gi")
    assert (template.limits.cpu, template.limits.gpu) == ("4", "1")
    assert template.container_image == "ghcr.io/acme/image:1"
    assert template.environment == {"MODE": "fast"}
    assert template.secret_requests[0].group == "db"
    assert template.enable_deck is True
    assert template.pod_template is not None
    assert template.pod_template["labels"] == {"team": "ml"}
    assert template.pod_template_name == "gpu-template"
    assert template.labels == {"a": "b"}


def test_cache_settings_are_recorded_in_both_spellings() -> None:
    @task(cache=True, cache_version="1.0", cache_serialize=True, cache_ignore_input_vars=("y",))
    def old_style(x: int, y: int) -> int:
        return x + y

    @task(cache=Cache(version="2.0", ignored_inputs=("y",)))
    def new_style(x: int, y: int) -> int:
        return x + y

    old = old_style.template.metadata.cache
    assert (old.enabled, old.version, old.serialize, old.ignored_inputs) == (
        True,
        "1.0",
        True,
        ("y",),
    )
    new = new_style.template.metadata.cache
    assert (new.enabled, new.version, new.ignored_inputs) == (True, "2.0", ("y",))


def test_a_cache_without_a_version_is_versioned_by_the_function_source() -> None:
    @task(cache=True)
    def cached(x: int) -> int:
        return x

    assert len(cached.template.metadata.cache.version) == 16


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cache_serialize": True}, "cache_serialize needs cache=True"),
        ({"cache": True, "cache_ignore_input_vars": ("nope",)}, "'nope', not an input"),
        ({"retries": -1}, "retries must be a non-negative int"),
        ({"timeout": "soon"}, "timeout must be seconds or a timedelta"),
        ({"environment": {"A": 1}}, "environment must be a dict of strings"),
        ({"requests": {"cpu": "1"}}, r"expected Resources\(...\)"),
        (
            {"requests": Resources(cpu="lots")},
            r"py:\d+: task .*Resources\(cpu='lots'\): invalid cpu quantity 'lots'",
        ),
        ({"limits": Resources(mem="1Zb")}, r"Resources\(mem='1Zb'\): invalid memory quantity"),
        ({"limits": Resources(gpu="half")}, r"Resources\(gpu='half'\): invalid gpu count"),
        ({"requests": Resources(ephemeral_storage="10 apples")}, "invalid memory quantity"),
    ],
)
def test_bad_settings_are_clear_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DecoratorError, match=message):

        @task(**kwargs)  # type: ignore[call-overload]
        def t(x: int) -> int:
            return x


def test_an_unknown_argument_suggests_the_closest_name() -> None:
    with pytest.raises(
        DecoratorError, match=r"unknown argument 'retires'; did you mean 'retries'\?"
    ):

        @task(retires=3)  # type: ignore[call-overload]
        def t(x: int) -> int:
            return x


def test_an_unsupported_type_is_an_error_at_decoration_naming_the_type() -> None:
    with pytest.raises(DecoratorError, match=r"input 'conn': type set\[int\] is not supported"):

        @task
        def t(conn: set[int]) -> int:
            return 1


def test_a_type_without_a_transformer_is_pickled_with_a_warning_naming_it() -> None:
    with pytest.warns(UserWarning, match=r"socket\.socket"):

        @task
        def t(conn: socket.socket) -> int:
            return 1


def test_a_missing_annotation_is_an_error() -> None:
    with pytest.raises(DecoratorError, match="input 'x' has no type annotation"):

        @task
        def t(x) -> int:  # type: ignore[no-untyped-def]
            return 1


def test_outputs_follow_the_return_annotation() -> None:
    @task
    def nothing(x: int) -> None:
        pass

    @task
    def pair(x: int) -> tuple[int, str]:
        return x, str(x)

    assert nothing.interface.outputs == {}
    assert list(pair.interface.outputs) == ["o0", "o1"]
    assert pair.interface.outputs["o1"].type == SimpleType(simple=SimpleKind.STRING)
    assert pair(x=3) == (3, "3")
    assert nothing(x=1) is None


def test_a_wrong_input_type_in_a_local_call_names_the_input() -> None:
    with pytest.raises(InputError, match=r"input 'x'.*expected int"):
        double(x="three")


def test_a_task_that_cannot_work_is_refused_when_decorated_naming_its_line() -> None:
    here = r"test_task_decorator\.py:\d+: task "
    with pytest.raises(DecoratorError, match=here + r".*is a generator \(it uses yield\)"):

        @task
        def numbers(n: int) -> int:
            yield from range(n)

    with pytest.raises(DecoratorError, match=here + r".*takes 'x' as positional-only"):

        @task
        def positional(x: int, /) -> int:
            return x

    with pytest.raises(DecoratorError, match=here + r".*returns a value but declares no output"):

        @task
        def unannotated(x: int):  # type: ignore[no-untyped-def]
            return x

    with pytest.raises(
        DecoratorError, match=here + r".*declares outputs \(int\) but has no return"
    ):

        @task
        def forgetful(x: int) -> int:
            print(x)

    with pytest.raises(
        DecoratorError,
        match=r"test_task_decorator\.py:\d+: @task decorates a function, not the class",
    ):

        @task  # type: ignore[arg-type]
        class Thing:
            pass


def test_interruptible_is_a_bool_wherever_it_is_given() -> None:
    message = r"test_task_decorator\.py:\d+: .*interruptible must be True, False or None, got 'x'"
    with pytest.raises(DecoratorError, match=message):

        @task(interruptible="x")  # type: ignore[call-overload]
        def flaky(x: int) -> int:
            return x

    with pytest.raises(DecoratorError, match=message):
        TaskMetadata(interruptible="x")  # type: ignore[arg-type]


def test_returning_none_for_an_optional_output_and_raising_are_fine() -> None:
    @task
    def maybe(x: int) -> int | None:
        return None

    @task
    def refuse(x: int) -> int:
        raise ValueError(x)

    @task
    def nothing(x: int) -> None:
        print(x)

    assert maybe(x=1) is None
    assert nothing(x=1) is None


@task
async def add_async(x: int) -> int:
    await asyncio.sleep(0)
    return x + 1


@dynamic
def calls_async(x: int) -> int:
    return add_async(x=x)


def test_an_async_task_behaves_as_in_flytekit() -> None:
    """flytekit 1.16 accepts ``@task async def``: called alone it gives a coroutine, mapped
    or awaited in an eager workflow it runs, and a workflow body cannot call it."""
    called = add_async(x=1)
    assert asyncio.iscoroutine(called)
    assert asyncio.run(called) == 2
    assert map_task(add_async)(x=[1, 2]) == [2, 3]

    @eager
    async def awaits(x: int) -> int:
        return await add_async(x=x)

    assert asyncio.run(awaits(x=5)) == 6
    with pytest.raises(CompileError, match=r"test_task_decorator\.py:\d+: task .*add_async is "):

        @workflow
        def static(x: int) -> int:
            return add_async(x=x)

    with pytest.raises(ExecutionFailedError, match=r"'async def', so a workflow cannot call it"):
        calls_async(x=1)
