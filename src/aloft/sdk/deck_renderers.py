"""Renderers: Python values to HTML for decks (flytekit's ``flytekit.deck.renderer``).

Each has ``to_html(value) -> str``. Table renderers take pandas, polars or pyarrow frames and
import none of them: they work on the frame they are given. An output annotated with a
renderer (``Annotated[pd.DataFrame, TopFrameRenderer(5)]``) is shown with it in the output
deck.
"""

from __future__ import annotations

import html
import importlib.metadata
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Protocol, get_args, get_origin, runtime_checkable

from aloft.errors import DecoratorError
from aloft.sdk.location import caller_location

DEFAULT_MAX_ROWS = 10
DEFAULT_MAX_COLS = 100


@runtime_checkable
class Renderable(Protocol):
    """Anything with ``to_html(value) -> str``."""

    def to_html(self, python_value: Any) -> str: ...


class MarkdownRenderer:
    """Markdown text to HTML (CommonMark)."""

    def to_html(self, text: str) -> str:
        """The HTML of ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"MarkdownRenderer renders a str, got {type(text).__name__}")
        from markdown_it import MarkdownIt

        rendered: str = MarkdownIt().render(text)
        return rendered


class SourceCodeRenderer:
    """Python source as a preformatted block."""

    def __init__(self, title: str = "Source Code") -> None:
        self._title = title

    def to_html(self, source_code: str) -> str:
        """``source_code``, escaped, under its title."""
        return (
            f"<h3>{html.escape(self._title)}</h3><pre><code>{html.escape(source_code)}</code></pre>"
        )


class TopFrameRenderer:
    """The first rows and columns of a pandas, polars or pyarrow frame, as a table.

    Args:
        max_rows: How many rows to show.
        max_cols: How many columns to show.
    """

    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS, max_cols: int = DEFAULT_MAX_COLS) -> None:
        for name, value in (("max_rows", max_rows), ("max_cols", max_cols)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DecoratorError(
                    f"{caller_location()}: {type(self).__name__}: {name} must be a positive "
                    f"int, got {value!r}"
                )
        self._max_rows = max_rows
        self._max_cols = max_cols

    def to_html(self, df: Any) -> str:
        """The table of ``df``'s first rows."""
        columns, rows, total = frame_rows(df, self._max_rows)
        return html_table(columns[: self._max_cols], [row[: self._max_cols] for row in rows], total)


class ArrowRenderer(TopFrameRenderer):
    """A pyarrow table (or any frame ``TopFrameRenderer`` takes), as a table."""


def frame_rows(df: Any, limit: int) -> tuple[list[str], list[list[Any]], int]:
    """The column names, the first ``limit`` rows and the row count of a pandas, polars or
    pyarrow frame; ``TypeError`` for anything else."""
    kind = f"{type(df).__module__.partition('.')[0]}.{type(df).__name__}"
    if kind == "pandas.DataFrame":
        head = df.head(limit)
        return (
            [str(c) for c in df.columns],
            [list(r) for r in head.itertuples(index=False)],
            len(df),
        )
    if kind == "polars.DataFrame":
        return list(df.columns), [list(r) for r in df.head(limit).rows()], df.height
    if kind == "pyarrow.Table":
        head = df.slice(0, limit).to_pylist()
        return list(df.column_names), [list(r.values()) for r in head], df.num_rows
    raise TypeError(f"a table renderer takes a pandas, polars or pyarrow frame, got {kind}")


def html_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], total: int) -> str:
    """An HTML table (every cell escaped), with a note when ``total`` rows exceed those shown."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    shown = [row for row in rows]
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in shown
    )
    note = f"<p>{len(shown)} of {total} rows</p>" if total > len(shown) else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def value_html(value: Any, py_type: Any) -> str:
    """How the input and output decks show a value of ``py_type``: with the renderer its
    annotation names, as a table if it is a frame, else its ``repr`` (cut when long)."""
    renderer = _annotated_renderer(py_type)
    if renderer is not None:
        return renderer.to_html(value)
    try:
        return TopFrameRenderer().to_html(value)
    except TypeError:
        pass
    text = repr(value)
    if len(text) > 2000:
        text = text[:2000] + " ..."
    return f"<pre>{html.escape(text)}</pre>"


def values_html(values: dict[str, Any], types: dict[str, Any]) -> str:
    """One heading and one rendering per named value."""
    return "".join(
        f"<h3>{html.escape(name)}</h3>{value_html(value, types.get(name))}"
        for name, value in values.items()
    )


def dependencies_html() -> str:
    """The Python packages installed where the task ran, as a table."""
    found = {
        (dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions()
    }
    rows = sorted((name, version) for name, version in found if name)
    return html_table(["Package", "Version"], rows, len(rows))


def _annotated_renderer(py_type: Any) -> Renderable | None:
    if get_origin(py_type) is not Annotated:
        return None
    for item in get_args(py_type)[1:]:
        if isinstance(item, Renderable) and not isinstance(item, type):
            return item
    return None
