"""hello: the task function called directly, no orchestration (floor)."""

import time


def greet(name: str) -> str:
    return f"Hello, {name}!"


if __name__ == "__main__":
    start = time.perf_counter()
    result = greet(name="World")
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
