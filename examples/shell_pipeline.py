"""Shell scripts as typed tasks: one writes a CSV file, the next counts its rows into a folder
of reports, a Python task reads the result.

aloft run examples/shell_pipeline.py shell_wf --rows 5 --label demo
"""

from __future__ import annotations

from aloft import FlyteDirectory, FlyteFile, OutputLocation, ShellTask, kwtypes, task, workflow

# {inputs.x} is an input, {outputs.y} where an output goes; $VARIABLES of the shell are
# written with doubled braces, as in any str.format template.
write_rows = ShellTask(
    name="write_rows",
    debug=True,
    script="""
    set -eu
    echo "n,square" > {outputs.csv}
    for i in $(seq 1 {inputs.rows}); do echo "$i,$((i * i))" >> {outputs.csv}; done
    """,
    inputs=kwtypes(rows=int),
    output_locs=[OutputLocation(var="csv", var_type=FlyteFile, location="rows.csv")],
)

count_rows = ShellTask(
    name="count_rows",
    script="""
    set -eu
    mkdir -p {outputs.reports}
    lines=$(($(wc -l < {inputs.csv}) - 1))
    echo "{inputs.label}: $lines rows" > {outputs.reports}/count.txt
    tail -n 1 {inputs.csv} | cut -d, -f2 > {outputs.reports}/last_square.txt
    """,
    inputs=kwtypes(csv=FlyteFile, label=str),
    output_locs=[
        OutputLocation(var="reports", var_type=FlyteDirectory, location="{inputs.label}-reports")
    ],
)


@task
def summarise(reports: FlyteDirectory) -> str:
    """Read the reports the shell task wrote."""
    folder = reports.download()
    with open(f"{folder}/count.txt") as count, open(f"{folder}/last_square.txt") as last:
        return f"{count.read().strip()}, last square {last.read().strip()}"


@workflow
def shell_wf(rows: int = 5, label: str = "demo") -> str:
    csv = write_rows(rows=rows)
    return summarise(reports=count_rows(csv=csv, label=label))


if __name__ == "__main__":
    print(shell_wf(rows=5, label="demo"))
