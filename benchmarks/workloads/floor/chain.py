"""chain: N sequential calls, each adding 1 to the previous result (floor). Default N=100."""

import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100


def inc(x: int) -> int:
    return x + 1


def chain(x: int = 0) -> int:
    value = x
    for _ in range(N):
        value = inc(x=value)
    return value


if __name__ == "__main__":
    start = time.perf_counter()
    result = chain(x=0)
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
