"""hello: the task function called directly, no orchestration (floor)."""


def greet(name: str) -> str:
    return f"Hello, {name}!"


if __name__ == "__main__":
    print(f"RESULT {greet(name='World')}")
