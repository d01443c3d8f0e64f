"""Decks: HTML a task shows about its run (flytekit's ``Deck``).

A task with ``@task(enable_deck=True)`` writes one self-contained HTML file per attempt,
``deck.html`` in the attempt's folder of the blob store: a tab per deck. It holds the decks
the task made (``Deck("name", html)``, ``current_context().default_deck``) and the ones its
``deck_fields`` ask for: its inputs and outputs, its source code, the Python packages it ran
with, and a timeline of the attempt. Renderers (:mod:`aloft.sdk.deck_renderers`) turn
Markdown, tables and source code into HTML.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Iterable

from aloft.errors import DecoratorError, UserError
from aloft.sdk.context import current_context


class DeckField(enum.StrEnum):
    """The decks aloft makes for a task, chosen with ``@task(deck_fields=(...))``."""

    INPUT = "Input"
    OUTPUT = "Output"
    SOURCE_CODE = "Source Code"
    TIMELINE = "Timeline"
    DEPENDENCIES = "Dependencies"


DEFAULT_DECK_FIELDS = (
    DeckField.SOURCE_CODE,
    DeckField.DEPENDENCIES,
    DeckField.TIMELINE,
    DeckField.INPUT,
    DeckField.OUTPUT,
)
"""What an ``enable_deck`` task shows when it names no ``deck_fields`` (flytekit's default)."""


def deck_settings(
    enable_deck: bool | None, disable_deck: bool | None, deck_fields: object, what: str
) -> tuple[bool, tuple[str, ...]]:
    """Whether a task writes decks, and which default decks, from ``@task``'s arguments as
    flytekit reads them: ``enable_deck`` (or the older ``disable_deck``, not both; off by
    default) and ``deck_fields`` (``DeckField`` members or their values; all five by default
    when decks are on). ``DecoratorError`` naming ``what`` (the task's file:line) otherwise."""
    if enable_deck is not None and disable_deck is not None:
        raise DecoratorError(f"{what}: give enable_deck or disable_deck, not both")
    enabled = bool(enable_deck) if enable_deck is not None else disable_deck is False
    if deck_fields is None:
        return enabled, tuple(field.value for field in DEFAULT_DECK_FIELDS) if enabled else ()
    if isinstance(deck_fields, str) or not isinstance(deck_fields, Iterable):
        raise DecoratorError(
            f"{what}: deck_fields must be a tuple of DeckField, got {deck_fields!r}"
        )
    fields = []
    for field in deck_fields:
        try:
            fields.append(DeckField(field).value)
        except ValueError:
            known = ", ".join(f"DeckField.{member.name}" for member in DeckField)
            raise DecoratorError(
                f"{what}: deck_fields has {field!r}; the fields are {known}"
            ) from None
    return enabled, tuple(fields)


class DeckRenderError(UserError):
    """A deck could not be rendered to HTML."""


class Deck:
    """A tab of the task's deck file: ``Deck("Summary", MarkdownRenderer().to_html(text))``.

    Args:
        name: The tab's title.
        html: Its HTML so far.
        auto_add_to_deck: Whether to add it to the running task's decks (True by default).
    """

    def __init__(self, name: str, html: str | None = "", auto_add_to_deck: bool = True) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a deck's name is a non-empty str, got {name!r}")
        self._name = name
        self._html = _checked(name, html or "")
        if auto_add_to_deck:
            current_context().decks.append(self)

    def append(self, html: str) -> Deck:
        """Add ``html`` to the deck; returns the deck, so calls chain."""
        self._html = f"{self._html}\n{_checked(self._name, html)}"
        return self

    @property
    def name(self) -> str:
        """The tab's title."""
        return self._name

    @property
    def html(self) -> str:
        """The deck's HTML."""
        return self._html

    @staticmethod
    def publish() -> None:
        """Write the running task's decks so far to its deck file, before the task ends."""
        params = current_context()
        if params.publish_decks is not None:
            params.publish_decks()


class TimeLineDeck(Deck):
    """How long each part of the attempt took, as a table of wall and process times."""

    def __init__(self, name: str, html: str | None = "", auto_add_to_deck: bool = True) -> None:
        super().__init__(name, html, auto_add_to_deck)
        self.time_info: list[dict[str, object]] = []

    def append_time_info(self, info: dict[str, object]) -> None:
        """Add a row: ``{"Name": ..., "WallTime": seconds, "ProcessTime": seconds}``."""
        if not isinstance(info, dict):
            raise TypeError(f"time info is a dict, got {type(info).__name__}")
        self.time_info.append(info)

    @property
    def html(self) -> str:
        if not self.time_info:
            return self._html
        rows = "".join(
            f"<tr><td>{html.escape(str(row.get('Name', '')))}</td>"
            f"<td>{_seconds(row.get('WallTime'))}</td><td>{_seconds(row.get('ProcessTime'))}</td></tr>"
            for row in self.time_info
        )
        return (
            "<table><thead><tr><th>Name</th><th>Wall time (s)</th><th>Process time (s)</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>{self._html}"
        )


def deck_page(title: str, decks: list[Deck]) -> str:
    """One self-contained HTML page with a tab per deck (decks of the same name merged, in
    the order they were first made).

    Raises:
        DeckRenderError: a deck's HTML could not be made; the message names the deck.
    """
    bodies: dict[str, list[str]] = {}
    for deck in decks:
        try:
            body = deck.html
        except Exception as exc:
            raise DeckRenderError(
                f"deck {deck.name!r} failed to render: {type(exc).__name__}: {exc}"
            ) from exc
        bodies.setdefault(deck.name, []).append(_checked(deck.name, body))
    tabs = []
    panels = []
    for index, (name, parts) in enumerate(bodies.items()):
        selected = " selected" if index == 0 else ""
        tabs.append(
            f'<button class="tab{selected}" data-panel="deck-{index}">{html.escape(name)}</button>'
        )
        panels.append(
            f'<section id="deck-{index}" class="panel{selected}">{"".join(parts)}</section>'
        )
    return _PAGE.format(
        title=html.escape(title), tabs="".join(tabs), panels="".join(panels), script=_SCRIPT
    )


def _checked(name: str, body: object) -> str:
    if not isinstance(body, str):
        raise TypeError(f"deck {name!r}: html must be a str, got {type(body).__name__}")
    return body


def _seconds(value: object) -> str:
    return f"{value:.6f}" if isinstance(value, int | float) else html.escape(str(value))


_SCRIPT = """
document.querySelectorAll("button.tab").forEach(function (tab) {
  tab.addEventListener("click", function () {
    document.querySelectorAll(".selected").forEach(function (e) {
      e.classList.remove("selected");
    });
    tab.classList.add("selected");
    document.getElementById(tab.dataset.panel).classList.add("selected");
  });
});
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #1f2328; }}
header {{ padding: 12px 16px; border-bottom: 1px solid #d0d7de; font-weight: 600; }}
nav {{ display: flex; gap: 4px; padding: 8px 16px 0; border-bottom: 1px solid #d0d7de; }}
button.tab {{ border: 1px solid transparent; background: none; padding: 6px 12px;
  cursor: pointer; font: inherit; border-radius: 6px 6px 0 0; }}
button.tab.selected {{ border-color: #d0d7de; border-bottom-color: #fff; background: #fff;
  margin-bottom: -1px; }}
section.panel {{ display: none; padding: 16px; overflow-x: auto; }}
section.panel.selected {{ display: block; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }}
pre {{ background: #f6f8fa; padding: 8px; overflow-x: auto; }}
</style>
</head>
<body>
<header>{title}</header>
<nav>{tabs}</nav>
{panels}
<script>{script}</script>
</body>
</html>
"""
