"""Checkpoints: a long task saves its progress, and a retry resumes where it stopped.

aloft run examples/checkpoints.py training_wf --epochs 6 --fail-at 3
aloft run --durable examples/checkpoints.py training_wf --epochs 6 --fail-at 3

The first attempt trains epochs 0 to 3, saving a checkpoint after each, then fails with a
FlyteRecoverableException (a transient failure, so it is retried). The retry reads the
checkpoint and trains epochs 4 and 5 only. The checkpoint lives in the blob store under the
attempt's folder, so a retry finds it also after the worker died or the run was resumed.
"""

from __future__ import annotations

import json

from aloft import FlyteRecoverableException, current_context, task, workflow


@task(retries=2)
def train(epochs: int, fail_at: int) -> str:
    """Train ``epochs`` epochs; the first attempt fails after epoch ``fail_at``."""
    context = current_context()
    saved = context.checkpoint.read()
    state = json.loads(saved) if saved else {"epoch": -1, "loss": 1.0, "trained": []}
    start = state["epoch"] + 1
    for epoch in range(start, epochs):
        state = {
            "epoch": epoch,
            "loss": round(state["loss"] * 0.8, 4),
            "trained": [*state["trained"], f"{epoch}@{context.attempt}"],
        }
        context.checkpoint.write(json.dumps(state).encode())
        if context.attempt == 0 and epoch == fail_at:
            raise FlyteRecoverableException(f"the machine went away after epoch {epoch}")
    return f"loss {state['loss']} after epochs {' '.join(state['trained'])}"


@workflow
def training_wf(epochs: int = 6, fail_at: int = 3) -> str:
    return train(epochs=epochs, fail_at=fail_at)
