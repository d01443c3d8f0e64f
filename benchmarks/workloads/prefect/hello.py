"""hello: one task in a flow (prefect)."""

import time

from prefect import flow, task


@task
def greet(name: str) -> str:
    return f"Hello, {name}!"


@flow
def hello_flow(name: str = "World") -> str:
    return greet(name)


if __name__ == "__main__":
    start = time.perf_counter()
    result = hello_flow(name="World")
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
