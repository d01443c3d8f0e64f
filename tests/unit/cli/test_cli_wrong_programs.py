"""Wrong programs given to ``aloft run``: one line naming the file and the line at fault,
exit code 2, no traceback.

Each program marks the line the message must name with ``# <-``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import aloft, error_line

HEADER = "from aloft import Resources, task, workflow\n\n\n"
INC = "@task\ndef inc(x: int) -> int:\n    return x + 1\n\n\n"

PROGRAMS = {
    "a positional call with too many arguments": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    return inc(x, x)  # <-\n",
        "inc takes 1 inputs (x) but was given 2 positional arguments",
    ),
    "an input given by position and by name": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    return inc(x, x=x)  # <-\n",
        "got input 'x' both by position and by name",
    ),
    "an unknown @task argument": (
        "@task(retires=3)  # <-\ndef inc(x: int) -> int:\n    return x + 1\n",
        "@task got an unknown argument 'retires'; did you mean 'retries'?",
    ),
    "an unknown @workflow argument": (
        INC + "@workflow(failure=1)  # <-\ndef wf(x: int = 1) -> int:\n    return inc(x=x)\n",
        "@workflow got an unknown argument 'failure'",
    ),
    "an attribute of an int promise": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    return inc(x=inc(x=x).real)  # <-\n",
        "is a int, which has no attribute 'real'",
    ),
    "a promise in an if": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    if inc(x=x):  # <-\n"
        "        return x\n    return x\n",
        "cannot be used in an if",
    ),
    "a promise in a loop": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    for _ in inc(x=x):  # <-\n"
        "        pass\n    return x\n",
        "cannot iterate over output o0 of node n0",
    ),
    "a promise plus one": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    return inc(x=x) + 1  # <-\n",
        "cannot be computed with; do the arithmetic in a task",
    ),
    "a name error in a workflow body": (
        INC + "@workflow\ndef wf(x: int = 1) -> int:\n    return inc(x=nothing)  # <-\n",
        "workflow wrong.wf: name 'nothing' is not defined; aloft compiles a workflow where",
    ),
    "a name error at module level": (
        "value = undefined + 1  # <-\n",
        "importing it failed: NameError: name 'undefined' is not defined",
    ),
    "unpacking too few outputs": (
        "@task\ndef two(x: int) -> tuple[int, int]:\n    return x, x\n\n\n"
        "@workflow\ndef wf(x: int = 1) -> int:\n    a, b, c = two(x=x)  # <-\n    return a\n",
        "importing it failed: ValueError: not enough values to unpack (expected 3, got 2)",
    ),
    "a syntax error": (
        "def broken(:  # <-\n    pass\n",
        "importing it failed: SyntaxError: invalid syntax",
    ),
    "a generator task": (
        "@task  # <-\ndef wf(n: int) -> int:\n    yield n\n",
        "is a generator (it uses yield)",
    ),
    "positional-only inputs": (
        "@task  # <-\ndef wf(n: int, /) -> int:\n    return n\n",
        "takes 'n' as positional-only",
    ),
    "a returned value without an output type": (
        "@task  # <-\ndef wf(n: int):\n    return n\n",
        "returns a value but declares no output type",
    ),
    "declared outputs never returned": (
        "@task  # <-\ndef wf(n: int) -> int:\n    print(n)\n",
        "declares outputs (int) but has no return statement that gives them",
    ),
    "a resource quantity that is not one": (
        '@task(requests=Resources(cpu="lots"))  # <-\ndef wf(n: int) -> int:\n    return n\n',
        "cpu",
    ),
    "a class decorated as a task": (
        "@task  # <-\nclass wf:\n    pass\n",
        "@task decorates a function, not the class wf",
    ),
    "an async task called in a workflow": (
        "@task\nasync def inc(x: int) -> int:\n    return x + 1\n\n\n"
        "@workflow\ndef wf(x: int = 1) -> int:\n    return inc(x=x)  # <-\n",
        "task wrong.inc is 'async def', so a workflow cannot call it",
    ),
}


@pytest.mark.parametrize("case", list(PROGRAMS), ids=list(PROGRAMS))
def test_a_wrong_program_names_its_file_and_line(case: str, tmp_path: Path) -> None:
    body, message = PROGRAMS[case]
    source = HEADER + body
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "# <-" in text)
    program = tmp_path / "wrong.py"
    program.write_text(source)
    result = aloft("run", str(program), "wf", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    shown = error_line(result)
    assert shown.startswith(f"error: wrong.py:{line}: "), shown
    assert message in shown
