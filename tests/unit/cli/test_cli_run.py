"""``aloft run`` as a user runs it: a real process, its stdout, stderr and exit code."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"


def aloft(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aloft", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_hello_prints_the_greeting() -> None:
    result = aloft("run", "examples/hello.py", "hello_wf", "--name", "World")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello, World!\n"


def test_defaults_apply_when_an_input_is_not_given() -> None:
    result = aloft("run", "examples/hello.py", "hello_wf")
    assert result.stdout == "Hello, World!\n"


def test_a_task_can_be_run_alone() -> None:
    result = aloft("run", "examples/hello.py", "say_hello", "--name=Ada")
    assert result.stdout == "Hello, Ada!\n"


def test_the_examples_run() -> None:
    etl = aloft("run", "examples/etl.py", "etl_wf", "--min-amount", "20")
    assert etl.returncode == 0, etl.stderr
    assert "o1: total" in etl.stdout and "top customer" in etl.stdout
    sub = aloft("run", "examples/subworkflow.py", "parent_wf", "--a", "3", "--b", "4")
    assert sub.returncode == 0, sub.stderr
    # stats(3, 4) = (7, 12); stats(7, 12) = (19, 84); 19 + 84
    assert sub.stdout.strip().endswith("103")


def test_the_map_example_sums_a_hundred_thousand_doubled_numbers() -> None:
    result = aloft("run", "examples/map_reduce.py", "wf", "--n", "100000")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "9999900000\n"
    tolerant = aloft("run", "examples/map_reduce.py", "tolerant", "--n", "3")
    assert tolerant.stdout == "[None, 1.0, 0.5]\n"


def test_a_failed_map_item_names_the_item_and_its_error(tmp_path: Path) -> None:
    program = tmp_path / "failing_map.py"
    program.write_text(
        "from aloft import map_task, task, workflow\n"
        "@task\n"
        "def inverse(x: int) -> float:\n"
        "    return 1 / x\n"
        "@workflow\n"
        "def wf() -> list[float]:\n"
        "    return map_task(inverse)(x=[1, 0, 2])\n"
    )
    result = aloft("run", str(program), "wf")
    assert result.returncode == 1
    assert "1 of 3 items failed" in result.stderr
    assert "item 1: ZeroDivisionError: division by zero" in result.stderr


def test_the_conditional_example_takes_the_case_that_holds() -> None:
    small = aloft("run", "examples/conditional.py", "shape_wf", "--radius", "0.5")
    assert small.returncode == 0, small.stderr
    assert small.stdout == "3.14159\n"
    assert aloft("run", "examples/conditional.py", "coin_wf", "--seed", "8").stdout == "heads\n"
    large = aloft("run", "examples/conditional.py", "shape_wf", "--radius", "42")
    assert large.returncode == 1
    assert "conditional 'shape': the radius must be from 0.1 to 10" in large.stderr


def test_the_dynamic_example_builds_a_task_per_number() -> None:
    result = aloft("run", "examples/dynamic.py", "fan_out_wf", "--n", "500")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{sum(i * i for i in range(500))}\n"


def test_a_bad_input_value_exits_2_with_one_line_naming_input_and_type() -> None:
    result = aloft("run", "examples/etl.py", "etl_wf", "--count", "abc")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "--count" in lines[0] and "expected int" in lines[0] and "'abc'" in lines[0]
    assert result.stdout == ""


def test_an_unknown_input_suggests_the_closest() -> None:
    result = aloft("run", "examples/hello.py", "hello_wf", "--nmae", "x")
    assert result.returncode == 2
    assert "did you mean '--name'?" in result.stderr


def test_without_a_name_it_lists_what_the_file_defines() -> None:
    result = aloft("run", "examples/hello.py")
    assert result.returncode == 0
    assert "Workflows:\n  hello_wf(name: str = 'World') -> str" in result.stdout
    assert "Tasks:\n  say_hello(name: str) -> str" in result.stdout


def test_help_lists_the_inputs_with_types_and_defaults() -> None:
    result = aloft("run", "examples/etl.py", "etl_wf", "--help")
    assert result.returncode == 0
    assert "--count" in result.stdout and "int, default 20" in result.stdout
    assert "--min-amount" in result.stdout and "float, default 10.0" in result.stdout


def test_a_type_mismatch_fails_at_load_naming_file_line_node_and_types() -> None:
    result = aloft("run", "tests/fixtures/mistyped.py", "mistyped_wf", "--n", "1")
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "tests/fixtures/mistyped.py:19" in message
    assert "node n1" in message and "consume" in message
    assert "input 'count': expected int, found str" in message


def test_a_task_failing_after_its_retries_exits_1_with_message_and_task_name() -> None:
    result = aloft("run", "tests/fixtures/failing.py", "flaky_wf")
    assert result.returncode == 1
    assert "failing.flaky" in result.stderr
    assert "after 3 attempts" in result.stderr
    assert "service unavailable for 1" in result.stderr


def test_a_value_error_fails_at_once() -> None:
    result = aloft("run", "tests/fixtures/failing.py", "broken_wf")
    assert result.returncode == 1
    assert "failing.broken (node n0) failed: ValueError: cannot handle 1" in result.stderr
    assert "attempts" not in result.stderr


def test_a_task_over_its_timeout_is_stopped_and_reported() -> None:
    result = aloft("run", "tests/fixtures/failing.py", "slow_wf")
    assert result.returncode == 1
    assert "exceeded its timeout of 1s and was stopped" in result.stderr


def test_inputs_of_every_kind_are_parsed_by_their_declared_type() -> None:
    result = aloft(
        "run", "tests/fixtures/typed_inputs.py", "describe",
        "--n", "3", "--ratio", "0.5", "--flag",
        "--day", "2026-11-24", "--at", "2026-11-24T10:30:00",
        "--color", "GREEN", "--values", "[1, 2]", "--mapping", '{"a": 1.5}',
        "--point", '{"x": 1, "y": 2}', "--settings", '{"name": "s"}',
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "n=3 ratio=0.5 flag=True day=2026-11-24 at=2026-11-24T10:30:00 color=GREEN "
        "values=[1, 2] mapping={'a': 1.5} point=(1,2) settings=s/1 label=none"
    )


def test_a_missing_file_or_name_is_one_clear_error() -> None:
    missing = aloft("run", "nope.py", "wf")
    assert missing.returncode == 2 and "nope.py: no such file" in missing.stderr
    unknown = aloft("run", "examples/hello.py", "hello")
    assert unknown.returncode == 2 and "did you mean" in unknown.stderr


def test_a_missing_required_input_is_named() -> None:
    result = aloft("run", "examples/hello.py", "say_hello")
    assert result.returncode == 2
    assert "missing input 'name' (str)" in result.stderr


def test_a_second_run_takes_cached_outputs_without_running_the_task(tmp_path: Path) -> None:
    (tmp_path / "cached.py").write_text(
        "from aloft import task, workflow\n\n"
        "@task(cache=True, cache_version='1')\n"
        "def noted(x: int, log: str) -> int:\n"
        "    with open(log, 'a') as handle:\n"
        "        handle.write(f'{x}\\n')\n"
        "    return 2 * x\n\n"
        "@workflow\n"
        "def wf(x: int, log: str) -> int:\n    return noted(x=noted(x=x, log=log), log=log)\n"
    )
    log = tmp_path / "runs"
    env = {"ALOFT_DB": f"sqlite:///{tmp_path / 'catalog.db'}"}

    def run(*options: str, x: int = 3) -> str:
        args = ("run", *options, "cached.py", "wf", "--x", str(x), "--log", str(log))
        result = aloft(*args, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert run() == "12\n"
    assert run() == "12\n"
    assert log.read_text().split() == ["3", "6"]  # the second run executed no task body
    assert run(x=6) == "24\n"  # noted(6) was cached by the first run; noted(12) is new
    assert log.read_text().split() == ["3", "6", "12"]
    assert run("--overwrite-cache") == "12\n"
    assert log.read_text().split()[-2:] == ["3", "6"]
    assert run("--durable") == "12\n"  # durable runs on the same database hit it too
    listed = aloft("cache", "list", cwd=tmp_path, env=env)
    assert listed.stdout.count("cached.noted") == 3
    cleared = aloft("cache", "clear", "--task", "cached.noted", cwd=tmp_path, env=env)
    assert cleared.stdout == "removed 3 cache entries\n"
    bad = aloft("cache", "clear", "--older-than", "soon", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "--older-than" in bad.stderr and "'soon'" in bad.stderr


def test_the_gates_example_takes_its_signals_from_the_command_line() -> None:
    signals = ["--signal", "threshold=0.5", "--signal", "publish=true"]
    review = aloft("run", *signals, "examples/gates.py", "review_wf")
    assert review.returncode == 0, review.stderr
    assert review.stdout == "score 0.9 against threshold 0.5: published\n"
    rejected = aloft(
        "run", "--signal", "threshold=1", "--signal", "publish=no", "examples/gates.py", "review_wf"
    )
    assert rejected.returncode == 1
    assert "gate 'publish' was rejected" in rejected.stderr
    assert aloft("run", "examples/gates.py", "pause_wf").stdout == "0.95\n"


def test_a_bad_signal_option_is_one_line_naming_it() -> None:
    unknown = aloft("run", "--signal", "treshold=1", "examples/gates.py", "review_wf")
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "error: no gate waits for a signal named 'treshold'; signals: publish, threshold\n"
    )
    bad = aloft("run", "--signal", "threshold=high", "examples/gates.py", "review_wf")
    assert bad.returncode == 2
    assert "invalid value for signal 'threshold': expected float, got 'high'" in bad.stderr
    shapeless = aloft("run", "--signal", "threshold", "examples/gates.py", "review_wf")
    assert shapeless.stderr == "error: --signal 'threshold': expected name=value\n"


def test_at_a_terminal_a_waiting_gate_asks_for_its_signal() -> None:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aloft", "run", "examples/gates.py", "review_wf"],
        cwd=ROOT,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=secondary,
        text=True,
    )
    os.close(secondary)
    transcript = _answer(primary, {"value for 'threshold'": "0.95\n", "approve 'publish'": "y\n"})
    stdout, _ = process.communicate(timeout=60)
    os.close(primary)
    assert process.returncode == 0, transcript
    assert stdout == "score 0.9 against threshold 0.95: kept back\n"


def _answer(primary: int, answers: dict[str, str]) -> str:
    """Read the terminal until each question in ``answers`` is asked, answering it."""
    seen = ""
    deadline = time.monotonic() + 60
    pending = dict(answers)
    while pending and time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.5)
        if not ready:
            continue
        seen += os.read(primary, 1024).decode()
        for question in list(pending):
            if question in seen:
                os.write(primary, pending.pop(question).encode())
    assert not pending, f"never asked {list(pending)}; terminal showed {seen!r}"
    return seen


def test_the_launch_plans_example_runs_plans_alone_and_as_child_executions() -> None:
    listed = aloft("run", "examples/launch_plans.py")
    assert "Launch plans:\n  hourly_pulse(" in listed.stdout
    assert "  nightly_report(days: int = 1, run_at: datetime" in listed.stdout
    nightly = aloft("run", "examples/launch_plans.py", "nightly_report")
    assert nightly.returncode == 0, nightly.stderr
    assert nightly.stdout == "emea: 4012.50\n"
    fixed = aloft("run", "examples/launch_plans.py", "nightly_report", "--region", "apac")
    assert fixed.returncode == 2
    assert "nightly_report has no input --region" in fixed.stderr
    quarterly = aloft("run", "examples/launch_plans.py", "quarterly_wf")
    assert quarterly.stdout == "emea: 5125.00; apac: 5125.00\n"


def test_the_eager_example_gathers_its_trials() -> None:
    tuned = aloft("run", "examples/eager.py", "tune_wf", "--trials", "4")
    assert tuned.returncode == 0, tuned.stderr
    assert tuned.stdout == "best learning rate 0.3: loss 0.05, score 0.95\n"


def test_the_imperative_example_runs_its_assembled_pipeline() -> None:
    result = aloft("run", "examples/imperative.py", "pipeline", "--text", "hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "starting\nHELLO!!!\n"
    assert (
        "Workflows:\n  pipeline(text: str) -> str" in aloft("run", "examples/imperative.py").stdout
    )


def test_the_caching_example_computes_each_item_once_across_runs(tmp_path: Path) -> None:
    log = tmp_path / "computed"
    env = {"ALOFT_DB": f"sqlite:///{tmp_path / 'catalog.db'}"}

    def run(n: int) -> str:
        args = ("run", "examples/caching.py", "features_wf", "--n", str(n), "--log", str(log))
        result = aloft(*args, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert run(3) == "3 features, total 2.450\n"
    assert run(3) == "3 features, total 2.450\n"  # every cached node a hit: nothing ran
    assert sorted(log.read_text().splitlines()) == [  # items run side by side, in any order
        "featurize 0",
        "featurize 1",
        "featurize 2",
        "summarize 3",
    ]
    assert run(4) == "4 features, total 6.860\n"
    assert log.read_text().splitlines()[4:] == ["featurize 3", "summarize 4"]


def test_without_a_terminal_a_waiting_gate_says_what_it_waits_for() -> None:
    command = ["run", "--signal", "threshold=0.5", "examples/gates.py", "review_wf"]
    process = subprocess.Popen(
        [sys.executable, "-m", "aloft", *command],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    process.kill()
    process.communicate()
    assert line == (
        "gate 'publish' (node n2) waits for up to 1:00:00 for signal 'publish' (a yes or no); "
        "run again with --signal publish=VALUE\n"
    )
