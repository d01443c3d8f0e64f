"""A typed ETL-like pipeline: records as dataclasses flow from extract to a summary.

aloft run examples/etl.py etl_wf --min-amount 10
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aloft import Resources, task, workflow


@dataclass
class Order:
    """One order as extracted from the source."""

    order_id: int
    customer: str
    amount: float
    tags: list[str] = field(default_factory=list)


@dataclass
class Summary:
    """What the pipeline reports."""

    orders: int
    total: float
    top_customer: str
    by_customer: dict[str, float]


@task(retries=2)
def extract(count: int) -> list[Order]:
    """Produce ``count`` synthetic orders (a real pipeline reads a source here)."""
    customers = ["ada", "grace", "alan", "edsger"]
    return [
        Order(
            order_id=i,
            customer=customers[i % len(customers)],
            amount=round(5.0 + (i * 7.3) % 40, 2),
            tags=["bulk"] if i % 5 == 0 else [],
        )
        for i in range(count)
    ]


@task(requests=Resources(cpu="1", mem="256Mi"))
def keep_large(orders: list[Order], min_amount: float) -> list[Order]:
    """Drop orders below ``min_amount``."""
    return [order for order in orders if order.amount >= min_amount]


@task
def summarise(orders: list[Order]) -> Summary:
    """Total the orders per customer."""
    by_customer: dict[str, float] = {}
    for order in orders:
        by_customer[order.customer] = round(by_customer.get(order.customer, 0.0) + order.amount, 2)
    top = max(by_customer, key=lambda name: by_customer[name]) if by_customer else ""
    total = round(sum(by_customer.values()), 2)
    return Summary(orders=len(orders), total=total, top_customer=top, by_customer=by_customer)


@task
def report(total: float, top_customer: str) -> str:
    """A one-line report, reading two fields of the summary."""
    return f"total {total:.2f}, top customer {top_customer}"


@workflow
def etl_wf(count: int = 20, min_amount: float = 10.0) -> tuple[Summary, str]:
    """Extract, filter and summarise orders, then report on the summary's fields."""
    orders = extract(count=count)
    large = keep_large(orders=orders, min_amount=min_amount)
    summary = summarise(orders=large)
    return summary, report(total=summary.total, top_customer=summary.top_customer)


if __name__ == "__main__":
    print(etl_wf(count=20, min_amount=10.0))
