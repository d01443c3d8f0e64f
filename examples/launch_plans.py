"""Launch plans: a workflow launched with inputs defaulted or fixed, on a schedule, with
notifications; called inside another workflow, a plan starts a child execution.

aloft run examples/launch_plans.py nightly_report          # fixed region, default days
aloft run examples/launch_plans.py quarterly_wf
"""

from datetime import datetime, timedelta

from aloft import (
    CronSchedule,
    Email,
    FixedRate,
    LaunchPlan,
    Slack,
    WorkflowExecutionPhase,
    task,
    workflow,
)


@task
def revenue(region: str, days: int) -> float:
    """A stand-in for a query: revenue of ``region`` over ``days`` days."""
    return round(len(region) * 1000.0 + days * 12.5, 2)


@task
def summarise(region: str, total: float) -> str:
    return f"{region}: {total:.2f}"


@workflow
def report_wf(region: str, days: int = 7, run_at: datetime = datetime(2026, 1, 1)) -> str:
    """Revenue of one region over the last ``days`` days."""
    return summarise(region=region, total=revenue(region=region, days=days))


nightly_report = LaunchPlan.get_or_create(
    report_wf,
    name="nightly_report",
    fixed_inputs={"region": "emea"},
    default_inputs={"days": 1},
    schedule=CronSchedule(schedule="0 2 * * *", kickoff_time_input_arg="run_at"),
    notifications=[
        Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["data-team@example.com"]),
        Slack(phases=[WorkflowExecutionPhase.SUCCEEDED], recipients_email=["reports@example.com"]),
    ],
    labels={"team": "data"},
    max_parallelism=4,
)

hourly_pulse = LaunchPlan.get_or_create(
    report_wf,
    name="hourly_pulse",
    default_inputs={"region": "apac", "days": 1},
    schedule=FixedRate(duration=timedelta(hours=1)),
)


@task
def combine(parts: list[str]) -> str:
    return "; ".join(parts)


@workflow
def quarterly_wf() -> str:
    """Each report is a child execution of the nightly plan's workflow, linked to its node."""
    emea = nightly_report(days=90)
    apac = hourly_pulse(region="apac", days=90)
    return combine(parts=[emea, apac])
