"""chain: N sequential tasks, each adding 1 to the previous result (aloft). Default N=100."""

import sys

from aloft import task, workflow

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100


@task
def inc(x: int) -> int:
    return x + 1


@workflow
def chain_wf(x: int = 0) -> int:
    value = x
    for _ in range(N):
        value = inc(x=value)
    return value


if __name__ == "__main__":
    print(f"RESULT {chain_wf(x=0)}")
