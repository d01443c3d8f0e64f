"""Hello world: one task, one workflow.

aloft run examples/hello.py hello_wf --name World
"""

from aloft import task, workflow


@task
def say_hello(name: str) -> str:
    """Greet someone by name."""
    return f"Hello, {name}!"


@workflow
def hello_wf(name: str = "World") -> str:
    """Greet ``name``."""
    return say_hello(name=name)


if __name__ == "__main__":
    print(hello_wf(name="World"))
