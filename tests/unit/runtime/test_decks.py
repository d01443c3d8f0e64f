"""Decks: one self-contained HTML file per attempt, with the decks a task makes and those its
deck_fields ask for; its URI in the attempt's record."""

from __future__ import annotations

import html
import re
from typing import Annotated, Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from aloft import (
    Deck,
    DeckField,
    MarkdownRenderer,
    SourceCodeRenderer,
    TopFrameRenderer,
    current_context,
    task,
    workflow,
)
from aloft.errors import DecoratorError
from aloft.runner import execute
from aloft.sdk.deck import TimeLineDeck, deck_page
from aloft.storage import store_for

SECRET_LOOKING = "<script>alert(1)</script>"


def deck_of(execution: Any, node: str = "n0") -> str:
    [uri] = [uri for key, uri in execution.decks.items() if str(key) == node]
    return store_for(uri).read_bytes(uri).decode()


def tabs(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<button class="tab[^"]*"[^>]*>([^<]*)<', page)]


@task(enable_deck=True)
def report(rows: int, title: str) -> pd.DataFrame:
    Deck("Summary", MarkdownRenderer().to_html(f"# {title}\n\n*{rows}* rows"))
    current_context().default_deck.append(
        TopFrameRenderer(2).to_html(pl.DataFrame({"p": [1, 2, 3]}))
    )
    return pd.DataFrame({"n": range(rows), "label": [SECRET_LOOKING] * rows})


@workflow
def report_wf(rows: int = 12, title: str = "Numbers") -> pd.DataFrame:
    return report(rows=rows, title=title)


def test_a_deck_file_holds_the_tasks_decks_and_the_default_ones() -> None:
    execution = execute(report_wf, {"rows": 12, "title": "Numbers"})
    assert execution.succeeded, execution.error_message()
    page = deck_of(execution)
    assert tabs(page) == [
        "Summary",
        "default",
        "Input",
        "Output",
        "Source Code",
        "Dependencies",
        "Timeline",
    ]
    assert "<h1>Numbers</h1>" in page and "<em>12</em> rows" in page
    assert "10 of 12 rows" in page  # the output frame, cut to its first rows
    assert "2 of 3 rows" in page  # the polars frame in the default deck
    assert SECRET_LOOKING not in page and html.escape(SECRET_LOOKING) in page
    assert "def report(rows: int, title: str)" in html.unescape(page)
    assert "msgspec" in page  # a dependency
    for step in ("Read the inputs", "Run the task", "Write the outputs"):
        assert step in page
    assert page.startswith("<!DOCTYPE html>") and "<script src" not in page  # self-contained
    [attempt_uri] = execution.decks.values()
    assert attempt_uri.endswith("/n0/0/deck.html")


@task(enable_deck=True, deck_fields=(DeckField.OUTPUT,))
def only_output(x: int) -> int:
    return x + 1


@task
def no_decks(x: int) -> int:
    Deck("ignored", "<p>decks are off</p>")
    return x


def test_deck_fields_choose_the_default_decks_and_no_deck_is_written_when_off() -> None:
    only = execute(only_output, {"x": 1})
    assert tabs(deck_of(only)) == ["Output"]
    assert execute(no_decks, {"x": 1}).decks == {}


def test_flytekit_deck_arguments_are_recorded_and_checked() -> None:
    assert only_output.template.deck_fields == ("Output",)
    assert report.template.deck_fields == (
        "Source Code",
        "Dependencies",
        "Timeline",
        "Input",
        "Output",
    )
    assert no_decks.template.enable_deck is False and no_decks.template.deck_fields == ()
    with pytest.raises(DecoratorError, match=r"deck_fields has 'Inputs'; the fields are DeckField"):

        @task(enable_deck=True, deck_fields=("Inputs",))
        def misspelled(x: int) -> int:
            return x

    with pytest.raises(DecoratorError, match="give enable_deck or disable_deck, not both"):

        @task(enable_deck=True, disable_deck=False)
        def both(x: int) -> int:
            return x


class Broken:
    def to_html(self, value: Any) -> str:
        raise RuntimeError("cannot draw this")


@task(enable_deck=True, deck_fields=(DeckField.OUTPUT,))
def badly_rendered(x: int) -> Annotated[int, Broken()]:
    return x


def test_a_deck_that_fails_to_render_is_one_error_naming_the_deck() -> None:
    execution = execute(badly_rendered, {"x": 1})
    assert not execution.succeeded
    message = execution.error_message()
    assert "deck 'Output' failed to render: RuntimeError: cannot draw this" in message
    assert execution.decks == {}


@task(enable_deck=True, deck_fields=())
def publishes(x: int) -> int:
    Deck("progress", "<p>half way</p>")
    Deck.publish()
    Deck("progress", "<p>done</p>")
    return x


def test_table_renderers_take_pandas_polars_and_arrow_frames() -> None:
    frames = [
        pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}),
        pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}),
        pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"]}),
    ]
    rendered = [TopFrameRenderer(max_rows=2).to_html(frame) for frame in frames]
    assert rendered[0] == rendered[1] == rendered[2]
    assert "<th>a</th><th>b</th>" in rendered[0] and "2 of 3 rows" in rendered[0]
    with pytest.raises(TypeError, match="takes a pandas, polars or pyarrow frame"):
        TopFrameRenderer().to_html([1, 2])
    assert SourceCodeRenderer().to_html("a < b") == (
        "<h3>Source Code</h3><pre><code>a &lt; b</code></pre>"
    )


def test_publish_writes_the_decks_so_far_and_the_end_writes_them_all() -> None:
    execution = execute(publishes, {"x": 3})
    page = deck_of(execution)
    assert tabs(page) == ["progress"] and "half way" in page and "done" in page


def test_a_deck_page_merges_decks_of_one_name_and_times_in_a_table() -> None:
    timeline = TimeLineDeck("Timeline", auto_add_to_deck=False)
    timeline.append_time_info({"Name": "load", "WallTime": 0.5, "ProcessTime": 0.25})
    decks = [Deck("a", "<p>1</p>", False), timeline, Deck("a", "<p>2</p>", False)]
    page = deck_page("t", decks)
    assert tabs(page) == ["a", "Timeline"]
    assert "<p>1</p><p>2</p>" in page and "<td>0.500000</td><td>0.250000</td>" in page
    with pytest.raises(TypeError, match="deck 'x': html must be a str, got int"):
        Deck("x", 3, auto_add_to_deck=False)  # type: ignore[arg-type]


def test_a_table_renderer_takes_positive_row_and_column_counts() -> None:
    with pytest.raises(DecoratorError, match=r"test_decks\.py:\d+: TopFrameRenderer: max_rows"):
        TopFrameRenderer(max_rows="3")  # type: ignore[arg-type]
    with pytest.raises(DecoratorError, match="max_cols must be a positive int, got 0"):
        TopFrameRenderer(max_cols=0)
