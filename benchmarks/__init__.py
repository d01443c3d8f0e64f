"""aloft's benchmark suite: the same workloads run by aloft, flytekit, Prefect and a plain
Python floor, each as a whole process, compared in one table.

Run it from the repository root with ``make bench`` or ``.venv/bin/python -m benchmarks``;
``benchmarks/README.md`` says how to read the numbers.
"""
