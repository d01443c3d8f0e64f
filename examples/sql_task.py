"""SQL as tasks: a query template over a SQLite database file, and DuckDB over the table it
returned and over a parquet file.

aloft run examples/sql_task.py sales_wf --min-price 20
aloft run examples/sql_task.py duckdb_wf --min-price 20      # needs aloft[duckdb]
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd

from aloft import (
    DuckDBQuery,
    FlyteFile,
    SQLite3Config,
    SQLite3Task,
    StructuredDataset,
    current_context,
    kwtypes,
    task,
    workflow,
)

DATABASE = str(Path(__file__).parent / "data" / "shop.db")

# {{ .inputs.min_price }} is filled in from the typed input when the task runs.
sales_by_product = SQLite3Task(
    name="sales_by_product",
    query_template="""
        SELECT p.name AS product, p.category AS category, SUM(s.quantity) AS sold,
               SUM(s.quantity) * p.price AS revenue
        FROM products p JOIN sales s ON s.product_id = p.id
        WHERE p.price >= {{ .inputs.min_price }}
        GROUP BY p.id ORDER BY revenue DESC
    """,
    inputs=kwtypes(min_price=float),
    output_schema_type=Annotated[
        StructuredDataset, kwtypes(product=str, category=str, sold=int, revenue=float)
    ],
    task_config=SQLite3Config(uri=DATABASE),
)

by_category = DuckDBQuery(
    name="revenue_by_category",
    query="SELECT category, SUM(revenue) AS revenue FROM sales GROUP BY category ORDER BY 1",
    inputs=kwtypes(sales=StructuredDataset),
)

over_parquet = DuckDBQuery(
    name="top_product",
    query="SELECT product FROM sales_file ORDER BY revenue DESC LIMIT 1",
    inputs=kwtypes(sales_file=FlyteFile),
)


@task
def report(sales: pd.DataFrame) -> str:
    """One line per product."""
    return "; ".join(f"{r.product}: {r.sold} sold, {r.revenue:.2f}" for r in sales.itertuples())


@task
def as_parquet(sales: pd.DataFrame) -> FlyteFile:
    """The table as a parquet file, for a query that reads files."""
    path = Path(current_context().working_directory) / "sales.parquet"
    sales.to_parquet(path)
    return FlyteFile(str(path))


@task
def describe(categories: pd.DataFrame, top: pd.DataFrame) -> str:
    totals = ", ".join(f"{r.category} {r.revenue:.2f}" for r in categories.itertuples())
    return f"{totals}; best seller {top['product'][0]}"


@workflow
def sales_wf(min_price: float = 20.0) -> str:
    return report(sales=sales_by_product(min_price=min_price))


@workflow
def duckdb_wf(min_price: float = 20.0) -> str:
    sales = sales_by_product(min_price=min_price)
    return describe(
        categories=by_category(sales=sales), top=over_parquet(sales_file=as_parquet(sales=sales))
    )


if __name__ == "__main__":
    print(sales_wf(min_price=20.0))
    print(duckdb_wf(min_price=20.0))
