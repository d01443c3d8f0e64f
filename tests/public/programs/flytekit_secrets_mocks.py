"""Secrets and mocks as flytekit's guides use them: tasks read requested secrets set up with
flytekit.testing's SecretsManager; a test mocks a task, and a subworkflow, with task_mock and
patch."""

import os

import flytekit
from flytekit import Secret, task, workflow
from flytekit.testing import SecretsManager, patch, task_mock

GROUP = "user-info"


@task(secret_requests=[Secret(group=GROUP, key="username"), Secret(group=GROUP, key="password")])
def login() -> tuple[str, int]:
    secrets = flytekit.current_context().secrets
    return secrets.get(GROUP, "username"), len(secrets.get(GROUP, "password"))


@task(
    secret_requests=[Secret(group=GROUP, key="token", mount_requirement=Secret.MountType.ENV_VAR)]
)
def token_file() -> str:
    return flytekit.current_context().secrets.get_secrets_file(GROUP, "token")


@task
def fetch(n: int) -> list[int]:
    if n > 0:
        raise RuntimeError("fetch reaches a service that tests must not call")
    return []


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def fetch_total(n: int) -> int:
    return total(values=fetch(n=n))


@task
def make_report(user: str, length: int, amount: int) -> str:
    return f"{user} ({length}-character password): {amount}"


@workflow
def report(n: int) -> str:
    user, length = login()
    return make_report(user=user, length=length, amount=fetch_total(n=n))


@patch(fetch)
def patched_fetch(mock_fetch):
    mock_fetch.side_effect = lambda n: list(range(n))
    print(report(n=4))
    print("fetch called with", mock_fetch.call_args.kwargs)


if __name__ == "__main__":
    manager = SecretsManager()
    os.environ[manager.get_secrets_env_var(GROUP, "username")] = "ada"
    os.environ[manager.get_secrets_env_var(GROUP, "password")] = "lovelace"
    print(login())
    print(token_file())
    with task_mock(fetch_total) as mocked_total:
        mocked_total.return_value = 99
        print(report(n=3))
    print("subworkflow mocked", mocked_total.call_count, "time(s)")
    patched_fetch()
