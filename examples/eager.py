"""Eager workflows: plain async Python over real task results; every call is a recorded
child node, so a resumed run does not call anything again that had finished.

aloft run examples/eager.py tune_wf --trials 4
aloft run --durable examples/eager.py tune_wf --trials 8     # kill it, then: aloft resume NAME
"""

import asyncio

from aloft import EagerException, eager, task


@task
async def train(learning_rate: float) -> float:
    """A stand-in for training: the loss a learning rate reaches (async, so it can be
    gathered)."""
    return round((learning_rate - 0.3) ** 2 + 0.05, 4)


@task
def validate(loss: float) -> float:
    """Fail for losses no model should reach."""
    if loss > 0.5:
        raise ValueError(f"loss {loss} is too high to validate")
    return round(1.0 - loss, 4)


@eager
async def tune_wf(trials: int = 4) -> str:
    """Train ``trials`` models side by side, validate the best, fall back if it fails."""
    rates = [round(0.1 * (i + 1), 2) for i in range(trials)]
    losses = await asyncio.gather(*[train(learning_rate=rate) for rate in rates])
    best = min(range(trials), key=lambda i: losses[i])
    try:
        score = validate(loss=losses[best])
    except EagerException:
        return "no model validated"
    return f"best learning rate {rates[best]}: loss {losses[best]}, score {score}"
