"""hello: one task in a flow (prefect)."""

from prefect import flow, task


@task
def greet(name: str) -> str:
    return f"Hello, {name}!"


@flow
def hello_flow(name: str = "World") -> str:
    return greet(name)


if __name__ == "__main__":
    print(f"RESULT {hello_flow(name='World')}")
