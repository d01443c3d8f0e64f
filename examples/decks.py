"""Decks: HTML a task shows about its run, one self-contained file per attempt.

aloft run examples/decks.py report_wf --numbers '[3, 1, 4, 1, 5, 9, 2, 6]'

`aloft run` prints where each deck was written (deck.html in the attempt's folder of the
blob store); open it in a browser. Its tabs: the task's own decks (a Markdown summary, a
histogram in the default deck), then its inputs, outputs, source code, the Python packages it
ran with and a timeline, as @task(enable_deck=True) shows them by default
(deck_fields=(...) chooses among them).
"""

from __future__ import annotations

import html
import statistics

from aloft import Deck, MarkdownRenderer, current_context, task, workflow


@task(enable_deck=True)
def describe(numbers: list[int]) -> float:
    mean = statistics.fmean(numbers)
    summary = (
        f"# {len(numbers)} numbers\n\n"
        f"* mean **{mean:.2f}**, median **{statistics.median(numbers)}**\n"
        f"* from {min(numbers)} to {max(numbers)}\n"
    )
    Deck("Summary", MarkdownRenderer().to_html(summary))
    bars = "".join(
        f"<div>{n:>3} {html.escape('#' * n)}</div>" for n in sorted(numbers, reverse=True)
    )
    current_context().default_deck.append(f"<pre>{bars}</pre>")
    return mean


@workflow
def report_wf(numbers: list[int]) -> float:
    return describe(numbers=numbers)
