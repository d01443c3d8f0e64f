"""Conditionals: the first case whose condition holds runs; the others are skipped.

aloft run examples/conditional.py shape_wf --radius 0.5
aloft run examples/conditional.py shape_wf --radius 42     # fails: no case for it
aloft run examples/conditional.py coin_wf --seed 7
"""

from aloft import conditional, task, workflow


@task
def circumference(radius: float) -> float:
    """2 * pi * r, roughly."""
    return 2 * 3.14159 * radius


@task
def area(radius: float) -> float:
    """pi * r * r, roughly."""
    return 3.14159 * radius * radius


@workflow
def shape_wf(radius: float = 0.5) -> float:
    """The circumference of a small circle, the area of a larger one."""
    return (
        conditional("shape")
        .if_((radius >= 0.1) & (radius < 1.0))
        .then(circumference(radius=radius))
        .elif_((radius >= 1.0) & (radius <= 10.0))
        .then(area(radius=radius))
        .else_()
        .fail("the radius must be from 0.1 to 10")
    )


@task
def heads(seed: int) -> bool:
    """A coin that lands heads for even seeds."""
    return seed % 2 == 0


@task
def say(text: str) -> str:
    """The text, as it is."""
    return text


@workflow
def coin_wf(seed: int = 7) -> str:
    """Heads or tails, decided by a task's output."""
    flip = heads(seed=seed)
    return (
        conditional("coin")
        .if_(flip.is_true())
        .then(say(text="heads"))
        .else_()
        .then(say(text="tails"))
    )
