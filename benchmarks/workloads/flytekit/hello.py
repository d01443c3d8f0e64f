"""hello: one task in a workflow, run locally (flytekit)."""

import time

from flytekit import task, workflow


@task
def greet(name: str) -> str:
    return f"Hello, {name}!"


@workflow
def hello_wf(name: str = "World") -> str:
    return greet(name=name)


if __name__ == "__main__":
    start = time.perf_counter()
    result = hello_wf(name="World")
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
