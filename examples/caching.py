"""Caching: cached tasks and cached map items run once per input; later runs take their
outputs from the catalog in the aloft home's database.

aloft run examples/caching.py features_wf --n 5 --log /tmp/computed   # computes 5 items
aloft run examples/caching.py features_wf --n 5 --log /tmp/computed   # all cache hits
aloft run examples/caching.py features_wf --n 6 --log /tmp/computed   # only item 5 runs
aloft cache list --task examples.caching.featurize
"""

from aloft import Cache, map_task, task, workflow


def _noted(log: str, what: str) -> None:
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{what}\n")


@task(cache=True, cache_version="1")
def featurize(x: int, log: str = "") -> float:
    """An expensive feature of one item (each computation is noted in ``log``)."""
    _noted(log, f"featurize {x}")
    return round((x * 0.7) ** 2, 3)


@task(cache=Cache(version="1", serialize=True))
def summarize(features: list[float], log: str = "") -> str:
    """One line about all the features."""
    _noted(log, f"summarize {len(features)}")
    return f"{len(features)} features, total {sum(features):.3f}"


@task
def items(n: int) -> list[int]:
    return list(range(n))


@workflow
def features_wf(n: int = 5, log: str = "") -> str:
    """Featurize ``n`` items (each one cached on its own) and summarize them (cached)."""
    features = map_task(featurize, bound_inputs={"log"})(x=items(n=n), log=log)
    return summarize(features=features, log=log)
