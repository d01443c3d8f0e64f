"""hello: one task in a workflow, run locally (flytekit)."""

from flytekit import task, workflow


@task
def greet(name: str) -> str:
    return f"Hello, {name}!"


@workflow
def hello_wf(name: str = "World") -> str:
    return greet(name=name)


if __name__ == "__main__":
    print(f"RESULT {hello_wf(name='World')}")
