"""Gates: a workflow that pauses, waits for a value, and asks for an approval.

aloft run --signal threshold=0.5 --signal publish=true examples/gates.py review_wf
aloft run examples/gates.py review_wf        # at a terminal: asks for both signals
aloft run --durable --name review examples/gates.py review_wf
    # ... stop it while it waits (Ctrl-C), then give what it waits for:
aloft resume review --signal threshold=0.5 --signal publish=true
"""

from datetime import timedelta

from aloft import approve, sleep, task, wait_for_input, workflow


@task
def train(learning_rate: float) -> float:
    """A stand-in for training: the score a model reached."""
    return round(1.0 - learning_rate / 2, 3)


@task
def publish(score: float, threshold: float) -> str:
    """Publish the model if its score is good enough."""
    verdict = "published" if score >= threshold else "kept back"
    return f"score {score} against threshold {threshold}: {verdict}"


@workflow
def review_wf(learning_rate: float = 0.2) -> str:
    """Train, wait for the threshold to judge by, and publish once a person approves."""
    score = train(learning_rate=learning_rate)
    threshold = wait_for_input("threshold", timeout=timedelta(hours=1), expected_type=float)
    approved = approve(score, "publish", timeout=timedelta(hours=1))
    return publish(score=approved, threshold=threshold)


@workflow
def pause_wf() -> float:
    """Sleep a second before training (a gate holds no worker while it waits)."""
    nap = sleep(timedelta(seconds=1))
    score = train(learning_rate=0.1)
    nap >> score
    return score
