"""Storage configuration: environment, config file, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from aloft.storage import ConfigError, database_url, load_storage_config, worker_count


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text("")
    monkeypatch.setenv("ALOFT_CONFIG", str(path))
    monkeypatch.delenv("ALOFT_STORE", raising=False)
    monkeypatch.delenv("ALOFT_OFFLOAD_THRESHOLD_BYTES", raising=False)
    return path


def test_the_config_file_names_the_store_and_its_options(config_file: Path) -> None:
    config_file.write_text(
        '[storage]\nurl = "s3://bucket/aloft"\noffload_threshold_bytes = 10\n'
        "[storage.options]\nanon = true\n"
    )
    config = load_storage_config()
    assert (config.url, config.options, config.offload_threshold_bytes) == (
        "s3://bucket/aloft",
        {"anon": True},
        10,
    )


def test_the_environment_wins_over_the_file(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text('[storage]\nurl = "s3://bucket/aloft"\n')
    monkeypatch.setenv("ALOFT_STORE", "/data/store")
    assert load_storage_config().url == "/data/store"


def test_without_a_file_the_store_is_under_the_home_folder(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALOFT_HOME", raising=False)
    assert load_storage_config().url == str(Path.home() / ".aloft" / "store")
    monkeypatch.setenv("ALOFT_HOME", "/srv/aloft")
    assert load_storage_config().url == "/srv/aloft/store"
    assert database_url() == "sqlite:////srv/aloft/aloft.db"


def test_the_database_and_worker_count_come_from_env_then_file(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALOFT_DB", raising=False)
    monkeypatch.delenv("ALOFT_WORKERS", raising=False)
    config_file.write_text('[database]\nurl = "postgresql://db/aloft"\n[executor]\nworkers = 3\n')
    assert database_url() == "postgresql://db/aloft"
    assert worker_count() == 3
    monkeypatch.setenv("ALOFT_DB", "sqlite:///x.db")
    monkeypatch.setenv("ALOFT_WORKERS", "5")
    assert database_url() == "sqlite:///x.db"
    assert worker_count() == 5


@pytest.mark.parametrize(
    ("env", "text", "message"),
    [
        ({"ALOFT_WORKERS": "many"}, "", "ALOFT_WORKERS must be a positive integer, got 'many'"),
        ({}, "[executor]\nworkers = 0", r"config.toml: executor.workers must be a positive"),
        ({}, "[database]\nurl = 3", r"config.toml: database.url must be a non-empty string"),
        ({}, "database = 1", r"config.toml: \[database\] must be a table"),
    ],
)
def test_bad_database_and_executor_settings_are_named(
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    text: str,
    message: str,
) -> None:
    monkeypatch.delenv("ALOFT_DB", raising=False)
    monkeypatch.delenv("ALOFT_WORKERS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config_file.write_text(text)
    with pytest.raises(ConfigError, match=message):
        database_url()
        worker_count()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[storage\nurl = 1", "not valid TOML"),
        ("storage = 3", r"\[storage\] must be a table"),
        ("[storage]\nurl = 5", "storage.url must be a non-empty string"),
        ("[storage]\noffload_threshold_bytes = -1", "offload_threshold_bytes must be a non-neg"),
        ("[storage]\noptions = 2", "storage.options must be a table"),
    ],
)
def test_a_malformed_config_names_the_file_and_the_key(
    config_file: Path, text: str, message: str
) -> None:
    config_file.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_storage_config()
    assert str(config_file) in str(caught.value)


def test_a_malformed_threshold_variable_is_named(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALOFT_OFFLOAD_THRESHOLD_BYTES", "lots")
    with pytest.raises(ConfigError, match="ALOFT_OFFLOAD_THRESHOLD_BYTES must be an integer"):
        load_storage_config()


def test_the_checkpoint_limit_comes_from_env_then_file_and_bad_values_are_named(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALOFT_CHECKPOINT_MAX_BYTES", raising=False)
    assert load_storage_config().checkpoint_max_bytes == 1 << 30
    config_file.write_text("[storage]\ncheckpoint_max_bytes = 4096\n")
    assert load_storage_config().checkpoint_max_bytes == 4096
    monkeypatch.setenv("ALOFT_CHECKPOINT_MAX_BYTES", "100")
    assert load_storage_config().checkpoint_max_bytes == 100
    monkeypatch.setenv("ALOFT_CHECKPOINT_MAX_BYTES", "lots")
    with pytest.raises(
        ConfigError, match="ALOFT_CHECKPOINT_MAX_BYTES must be a positive integer, got 'lots'"
    ):
        load_storage_config()
    monkeypatch.delenv("ALOFT_CHECKPOINT_MAX_BYTES")
    config_file.write_text("[storage]\ncheckpoint_max_bytes = 0\n")
    with pytest.raises(
        ConfigError, match=r"storage\.checkpoint_max_bytes must be a positive integer, got 0"
    ):
        load_storage_config()
