"""Secrets: requested on @task, read from flytekit's environment variables or files, only
those requested, never in what the attempt stores."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aloft import Deck, Secret, SecretsManager, current_context, task, workflow
from aloft.errors import DecoratorError
from aloft.runner import execute
from aloft.sdk.secrets import SecretNotFoundError
from aloft.storage import ConfigError, SecretsConfig, secrets_config, store_for


@pytest.fixture
def secrets_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "secrets"
    (folder / "db").mkdir(parents=True)
    (folder / "db" / "password").write_text("from-a-file\n")
    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(folder))
    monkeypatch.setenv("_FSEC_API_TOKEN", "from-the-environment")
    return folder


@task(
    secret_requests=[
        Secret(group="db", key="password"),
        Secret(group="api", key="token", mount_requirement=Secret.MountType.ENV_VAR),
    ]
)
def connect(user: str) -> str:
    secrets = current_context().secrets
    return f"{user}:{secrets.get('db', 'password')}:{secrets.api.token}"


@task(secret_requests=[Secret(group="db", key="password")])
def greedy() -> str:
    return current_context().secrets.get("api", "token")


@task(secret_requests=[Secret(group="db", key="password", env_var="DB_PASSWORD")])
def from_env_var() -> str:
    return os.environ["DB_PASSWORD"]


@task(secret_requests=[Secret(group="db", key="password")])
def leaks() -> str:
    raise ValueError(f"could not log in with {current_context().secrets.get('db', 'password')}")


@task(secret_requests=[Secret(group="db", key="password")], enable_deck=True)
def shows_it() -> str:
    password = current_context().secrets.get("db", "password")
    Deck("Connection", f"<p>connected with {password}</p>")
    return "ok"


@task(secret_requests=[Secret(group="db", key="missing")])
def wants_missing() -> str:
    return current_context().secrets.get("db", "missing")


@workflow
def connect_wf(user: str) -> str:
    return connect(user=user)


def test_requested_secrets_come_from_the_environment_and_the_folder(secrets_dir: Path) -> None:
    assert connect_wf(user="ann") == "ann:from-a-file:from-the-environment"


def test_only_requested_secrets_can_be_read(secrets_dir: Path) -> None:
    execution = execute(greedy, {})
    assert not execution.succeeded
    assert (
        "did not request secret group 'api' key 'token': add Secret(group='api', key='token') "
        "to its @task(secret_requests=[...])"
    ) in execution.error_message()


def test_a_missing_secret_names_group_key_and_where_it_looked(secrets_dir: Path) -> None:
    message = execute(wants_missing, {}).error_message()
    assert "secret group 'db' key 'missing' not found: looked in environment variables " in message
    assert f"_FSEC_DB_MISSING and DB_MISSING and file {secrets_dir / 'db' / 'missing'}" in message
    assert "FLYTE_SECRETS_DEFAULT_DIR" in message and "Traceback" not in message


def test_a_secret_mounted_as_an_environment_variable_is_set_for_the_task_only(
    secrets_dir: Path,
) -> None:
    assert from_env_var() == "from-a-file"
    assert "DB_PASSWORD" not in os.environ


def test_a_secrets_value_never_reaches_the_stored_error(secrets_dir: Path) -> None:
    execution = execute(leaks, {})
    message = execution.error_message()
    assert "could not log in with [redacted]" in message and "from-a-file" not in message
    node = execution.node("n0")
    assert node.error is not None and "from-a-file" not in node.error.traceback


def test_a_secrets_value_never_reaches_the_deck(secrets_dir: Path) -> None:
    execution = execute(shows_it, {})
    assert execution.succeeded, execution.error_message()
    [uri] = execution.decks.values()
    page = store_for(uri).read_bytes(uri).decode()
    assert "connected with [redacted]" in page and "from-a-file" not in page


def test_mount_requirements_limit_where_a_secret_is_looked_for(
    secrets_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aloft.ir import Secret as SecretSpec

    file_only = SecretSpec(group="api", key="token", mount_requirement="file")
    manager = SecretsManager(requested=("t", [file_only]))
    with pytest.raises(SecretNotFoundError, match=r"looked in file .*api/token \("):
        manager.get("api", "token")
    monkeypatch.setenv("_FSEC_DB_PASSWORD", "the-environment-wins")
    assert SecretsManager().get("db", "password") == "the-environment-wins"
    assert SecretsManager().get("db", "password", encode_mode="rb") == b"the-environment-wins"


def test_a_local_run_also_reads_the_variable_without_the_prefix_as_flytekit(
    secrets_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("API_TOKEN", "  unprefixed\n")
    monkeypatch.delenv("_FSEC_API_TOKEN")
    assert connect_wf(user="ann") == "ann:from-a-file:unprefixed"
    monkeypatch.setenv("_FSEC_API_TOKEN", "prefixed\n")
    assert SecretsManager().get("api", "token") == "prefixed"  # the prefixed one first
    on_a_server = SecretsManager(local=False)
    monkeypatch.delenv("_FSEC_API_TOKEN")
    with pytest.raises(SecretNotFoundError, match=r"looked in environment variable _FSEC_API_"):
        on_a_server.get("api", "token")


def test_the_settings_are_flytekits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENV_PREFIX", "DEFAULT_DIR", "FILE_PREFIX"):
        monkeypatch.delenv(f"FLYTE_SECRETS_{name}", raising=False)
    assert secrets_config() == SecretsConfig()
    assert (SecretsConfig().env_prefix, SecretsConfig().default_dir) == ("_FSEC_", "/etc/secrets")
    config = tmp_path / "config.toml"
    config.write_text('[secrets]\nenv_prefix = "MY_"\nfile_prefix = "s-"\n')
    monkeypatch.setenv("ALOFT_CONFIG", str(config))
    manager = SecretsManager()
    assert manager.get_secrets_env_var("db", "pw") == "MY_DB_PW"
    assert manager.get_secrets_file("db", "pw") == "/etc/secrets/db/s-pw"
    config.write_text("[secrets]\ndefault_dir = 3\n")
    with pytest.raises(ConfigError, match=r"secrets\.default_dir must be a string, got 3"):
        secrets_config()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: Secret(group=None), "group=None: a secret needs its group"),  # type: ignore[arg-type]
        (lambda: Secret(group=""), "group='': a secret needs its group"),
        (lambda: Secret(group="db", key=3), "key=3: must be a string"),  # type: ignore[arg-type]
        (
            lambda: Secret(group="db", mount_requirement="file"),  # type: ignore[arg-type]
            "mount_requirement='file': must be one of Secret.MountType.ANY, ",
        ),
        (lambda: Secret(group="db", env_var="db-password"), "env_var='db-password': not an "),
    ],
)
def test_a_bad_secret_is_refused_where_it_is_written(make: Any, problem: str) -> None:
    with pytest.raises(DecoratorError) as caught:
        make()
    where, _, what = str(caught.value).partition(": ")
    assert where.endswith(f"{Path(__file__).name}:{make.__code__.co_firstlineno}")
    assert what.startswith(f"Secret({problem}")


def test_secret_requests_must_be_a_list_of_secrets() -> None:
    with pytest.raises(DecoratorError, match=r"secret_requests must be a list of Secret\(\.\.\.\)"):

        @task(secret_requests=Secret(group="db", key="password"))  # type: ignore[arg-type]
        def alone() -> None: ...
