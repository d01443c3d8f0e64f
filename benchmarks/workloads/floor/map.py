"""map: doubling 0..N-1 in a loop, then the sum (floor). Default N=1000."""

import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


def make_range(n: int) -> list[int]:
    return list(range(n))


def double(x: int) -> int:
    return x * 2


def total(values: list[int]) -> int:
    return sum(values)


if __name__ == "__main__":
    print(f"RESULT {total(values=[double(x=x) for x in make_range(n=N)])}")
