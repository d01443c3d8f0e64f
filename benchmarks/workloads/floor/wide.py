"""wide: N independent calls (inc of 0..N-1), then their sum (floor). Default N=200."""

import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def inc(x: int) -> int:
    return x + 1


def total(values: list[int]) -> int:
    return sum(values)


if __name__ == "__main__":
    start = time.perf_counter()
    result = total(values=[inc(x=i) for i in range(N)])
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
