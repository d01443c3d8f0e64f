"""dynamic: N calls (inc of 0..N-1) decided at run time, then their sum (floor). Default N=500."""

import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 500


def inc(x: int) -> int:
    return x + 1


def total(values: list[int]) -> int:
    return sum(values)


def fan_out(n: int) -> int:
    return total(values=[inc(x=i) for i in range(n)])


if __name__ == "__main__":
    print(f"RESULT {fan_out(n=N)}")
