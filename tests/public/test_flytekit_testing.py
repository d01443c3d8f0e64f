"""A Flyte user's unit tests, written as flytekit's "Mocking tasks" guide shows them, with only
their imports changed (``flytekit`` to ``aloft``, ``flytekit.testing`` to ``aloft.testing``).

The task that cannot run locally here is a reference task (registered on a server), where the
guide uses a SQL task: the mocking is the same.
"""

import datetime
import os
import typing

import pandas
import pytest

from aloft import conditional, reference_task, task, workflow
from aloft.testing import SecretsManager, patch, task_mock


@reference_task(
    project="flytesnacks",
    domain="development",
    name="queries.airport_sessions",
    version="v1",
)
def airport_sessions(ds: datetime.datetime) -> pandas.DataFrame: ...


@task
def t1() -> datetime.datetime:
    return datetime.datetime.now()


@task
def count_rows(df: pandas.DataFrame) -> int:
    return len(df)


@workflow
def my_wf() -> pandas.DataFrame:
    dt = t1()
    return airport_sessions(ds=dt)


@workflow
def counting_wf() -> int:
    return count_rows(df=my_wf())


def test_demonstrate_mock():
    with task_mock(airport_sessions) as mock:
        mock.return_value = pandas.DataFrame(data={"x": [1, 2], "y": ["3", "4"]})
        assert (my_wf() == pandas.DataFrame(data={"x": [1, 2], "y": ["3", "4"]})).all().all()
        assert counting_wf() == 2
        assert mock.call_count == 2


@patch(airport_sessions)
def test_user_demo_test(mock_sql):
    mock_sql.return_value = pandas.DataFrame(data={"x": [1, 2], "y": ["3", "4"]})
    assert (my_wf() == pandas.DataFrame(data={"x": [1, 2], "y": ["3", "4"]})).all().all()
    called_with = mock_sql.call_args.kwargs["ds"]
    assert isinstance(called_with, datetime.datetime)


@patch(t1)
def test_a_local_task_can_be_patched_too(mock_t1):
    mock_t1.return_value = datetime.datetime(2024, 1, 31)
    with task_mock(airport_sessions) as sessions:
        sessions.side_effect = lambda ds: pandas.DataFrame({"day": [ds.day]})
        assert my_wf()["day"].tolist() == [31]


def test_without_a_mock_the_reference_task_does_not_run_locally():
    with pytest.raises(Exception, match=r"only .* aloft server"):
        my_wf()


def test_the_mock_is_gone_after_the_block():
    with task_mock(t1) as mock:
        mock.return_value = datetime.datetime(2000, 1, 1)
    assert t1().year >= 2024


def test_a_secret_is_set_up_where_the_secrets_manager_looks(monkeypatch):
    @task(secret_requests=[])
    def no_secrets() -> str:
        return "none"

    sm = SecretsManager()
    monkeypatch.setenv(sm.get_secrets_env_var("db", "password"), "s3cret")
    assert sm.get("db", "password") == "s3cret"
    assert typing.cast(str, sm.db.password) == "s3cret"
    assert no_secrets() == "none"
    assert os.environ["_FSEC_DB_PASSWORD"] == "s3cret"


@workflow
def sessions_today() -> int:
    return count_rows(df=my_wf())


@task
def t2() -> int:
    return -1


@workflow
def report_wf(detailed: bool) -> int:
    return conditional("detail").if_(detailed.is_true()).then(counting_wf()).else_().then(t2())


def test_a_subworkflow_is_mocked_like_a_task():
    with task_mock(my_wf) as sessions:
        sessions.return_value = pandas.DataFrame({"x": [1, 2, 3]})
        assert sessions_today() == 3
        assert report_wf(detailed=True) == 3  # called in a conditional's case too
        assert (my_wf() == sessions.return_value).all().all()  # and called itself
    assert sessions.call_count == 3


@patch(counting_wf)
def test_a_workflow_can_be_patched(mock_counting):
    mock_counting.return_value = 42
    assert report_wf(detailed=True) == 42
    assert report_wf(detailed=False) == -1


def test_only_tasks_and_workflows_can_be_mocked():
    mocking = task_mock(lambda: 1)
    with pytest.raises(TypeError, match="task_mock mocks tasks, reference tasks and workflows"):
        mocking.__enter__()
