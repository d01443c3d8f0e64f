"""An attempt's deck file: the decks the task made and those its ``deck_fields`` ask for,
rendered as one page and written to ``deck.html`` in the attempt's folder."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aloft.ir import TaskAttemptSpec
from aloft.runtime.protocol import RunnableTask
from aloft.runtime.task_context import Redactor
from aloft.sdk.context import ExecutionParameters
from aloft.sdk.deck import Deck, DeckField, DeckRenderError, TimeLineDeck, deck_page
from aloft.sdk.deck_renderers import SourceCodeRenderer, dependencies_html, values_html
from aloft.storage import store_for
from aloft.storage.layout import deck_uri


class DeckWriter:
    """Writes the deck file of one attempt, from the decks in its context and the default
    decks its task's ``deck_fields`` name."""

    def __init__(
        self,
        spec: TaskAttemptSpec,
        task: RunnableTask,
        params: ExecutionParameters,
        redactor: Redactor,
    ) -> None:
        self._spec = spec
        self._task = task
        self._params = params
        self._redactor = redactor
        self._fields = {DeckField(field) for field in spec.task.deck_fields}
        self.inputs: Mapping[str, Any] = {}
        self.outputs: Mapping[str, Any] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        """Add a row to the timeline deck: the wall and process time since the last lap (or
        since the attempt started)."""
        wall, cpu = time.perf_counter(), time.process_time()
        self._params.timeline_deck.append_time_info(
            {"Name": name, "WallTime": wall - self._wall, "ProcessTime": cpu - self._cpu}
        )
        self._wall, self._cpu = wall, cpu

    def write(self) -> str:
        """Render every deck and store the page; returns its URI.

        Raises:
            DeckRenderError: a deck failed to render (naming it); nothing is written.
        """
        page = deck_page(
            f"{self._spec.task.id.name} ({self._spec.node}, attempt {self._spec.attempt})",
            self._decks(),
        )
        uri = deck_uri(self._spec.output_prefix)
        store_for(uri).write_bytes(uri, self._redactor.text(page).encode())
        return uri

    def _decks(self) -> list[Deck]:
        timeline = next((d for d in self._params.decks if isinstance(d, TimeLineDeck)), None)
        decks = [deck for deck in self._params.decks if deck is not timeline]
        interface = self._task.python_interface
        fields = self._fields
        if DeckField.INPUT in fields and self.inputs:
            inputs, types = dict(self.inputs), dict(interface.inputs)
            decks.append(_rendered("Input", lambda: values_html(inputs, types)))
        if DeckField.OUTPUT in fields and self.outputs:
            outputs, types = dict(self.outputs), dict(interface.outputs)
            decks.append(_rendered("Output", lambda: values_html(outputs, types)))
        source = _source_of(self._task) if DeckField.SOURCE_CODE in fields else ""
        if source:
            decks.append(_rendered("Source Code", lambda: SourceCodeRenderer().to_html(source)))
        if DeckField.DEPENDENCIES in fields:
            decks.append(_rendered("Dependencies", dependencies_html))
        if DeckField.TIMELINE in fields and timeline is not None:
            decks.append(timeline)
        return decks


def _rendered(name: str, render: Callable[[], str]) -> Deck:
    """Deck ``name`` of what ``render`` makes; ``DeckRenderError`` naming it if that fails."""
    try:
        return Deck(name, render(), auto_add_to_deck=False)
    except Exception as exc:
        raise DeckRenderError(
            f"deck {name!r} failed to render: {type(exc).__name__}: {exc}"
        ) from exc


def shown_outputs(result: Any, names: list[str]) -> dict[str, Any]:
    """The task's return value by output name, for the output deck (an iterator, consumed
    as the output was written, is shown as such)."""
    if not names:
        return {}
    values = result if len(names) > 1 and isinstance(result, tuple) else (result,)
    return {
        name: "(an iterator, written as it was read)" if isinstance(value, Iterator) else value
        for name, value in zip(names, values, strict=False)
    }


def _source_of(task: RunnableTask) -> str:
    function = getattr(task, "task_function", None)
    if function is None:
        return ""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""
