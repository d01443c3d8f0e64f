"""Typed values as the console shows them: IR literals rendered as HTML, read with their
literal types where they are known, and the short ``aloft://`` URLs that name them.

The console never imports the type engine: a value is shown from its literal alone (a list
as a list, a struct as its fields, a file as its URI), with its declared type, when known,
naming what it is (an enum's name, a struct's name, ``Optional[int]``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

from aloft.ir import (
    BinaryValue,
    BlobValue,
    CollectionValue,
    ExecutionId,
    HashedValue,
    Literal,
    MapValue,
    NoneValue,
    OffloadedValue,
    PickleValue,
    StructuredDatasetValue,
    StructValue,
    TypedInterface,
    UnionValue,
    describe,
    literal_to_json,
)
from aloft.ir.types import CollectionType, LiteralType, MapType, StructType, UnionType

MAX_ITEMS = 20
"""Items of a list or entries of a map shown before the rest is summed up."""
MAX_TEXT = 2000
"""Characters of a string shown before it is cut."""
MAX_SUMMARY = 80
"""Characters of a one-line summary."""
MAX_DEPTH = 6
"""Levels of nesting shown before a value is summed up as JSON."""


@dataclass(frozen=True)
class ShownValue:
    """One named value: its type as a Python user writes it (empty if unknown), the value as
    HTML, and the short URL that names it."""

    name: str
    type: str
    html: Markup
    url: str


def data_url(execution: ExecutionId, node: str, direction: str, name: str) -> str:
    """The short URL of a value: ``aloft://v1/project/domain/execution/node/o/name``
    (``i`` for an input); ``node`` is the node's key as text, empty for the execution's own
    inputs and outputs."""
    parts = ["aloft://v1", execution.project, execution.domain, execution.name]
    if node:
        parts.append(node)
    return "/".join([*parts, direction, name])


def shown_values(
    execution: ExecutionId,
    node: str,
    direction: str,
    literals: Mapping[str, Literal] | None,
    interface: TypedInterface | None,
) -> list[ShownValue]:
    """``literals`` as shown values, in the interface's order (inputs for ``direction``
    ``i``, outputs for ``o``), with their declared types where the interface gives them."""
    declared = {}
    if interface is not None:
        declared = interface.inputs if direction == "i" else interface.outputs
    literals = literals or {}
    names = [name for name in declared if name in literals]
    names += [name for name in literals if name not in declared]
    return [
        ShownValue(
            name,
            describe(declared[name].type) if name in declared else "",
            render(literals[name], declared[name].type if name in declared else None),
            data_url(execution, node, direction, name),
        )
        for name in names
    ]


def summary(literal: Literal) -> str:
    """A one-line summary of ``literal`` (its JSON form, cut to ``MAX_SUMMARY``)."""
    text = json.dumps(literal_to_json(literal), ensure_ascii=False)
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def render(literal: Literal, literal_type: LiteralType | None = None, depth: int = 0) -> Markup:
    """``literal`` as HTML: scalars as code, lists as numbered lists, maps and structs as
    definition lists, files and tables by URI; long strings and lists are cut, saying how
    much was left out."""
    if depth >= MAX_DEPTH:
        return _code(summary(literal))
    match literal:
        case NoneValue():
            return Markup('<code class="none">None</code>')
        case CollectionValue(items=items):
            element = literal_type.element if isinstance(literal_type, CollectionType) else None
            shown = [render(item, element, depth + 1) for item in items[:MAX_ITEMS]]
            return _list(shown, len(items))
        case MapValue(entries=entries):
            value_type = literal_type.value if isinstance(literal_type, MapType) else None
            return _entries({k: (v, value_type) for k, v in entries.items()}, depth)
        case StructValue(fields=fields):
            types = (
                {f.name: f.type for f in literal_type.fields}
                if isinstance(literal_type, StructType)
                else {}
            )
            return _entries({k: (v, types.get(k)) for k, v in fields.items()}, depth)
        case UnionValue(variant=variant, value=value):
            inner = _variant(literal_type, variant)
            return render(value, inner, depth)
        case HashedValue(value=value):
            return render(value, literal_type, depth)
        case BlobValue() | StructuredDatasetValue():
            fmt = f' <span class="muted">{escape(literal.format)}</span>' if literal.format else ""
            return Markup(f'<code class="uri">{escape(literal.uri)}</code>{fmt}')
        case OffloadedValue(uri=uri, size=size):
            return Markup(
                f'<span class="muted">stored apart ({size:,} bytes):</span> '
                f'<code class="uri">{escape(uri)}</code>'
            )
        case PickleValue(uri=uri, data=data):
            where = f'<code class="uri">{escape(uri)}</code>' if uri else f"{len(data):,} bytes"
            return Markup(f'<span class="muted">a pickled object,</span> {where}')
        case BinaryValue(value=value):
            return Markup(f'<span class="muted">{len(value):,} bytes</span>')
    return _code(_scalar_text(literal))


def _scalar_text(literal: Literal) -> str:
    return json.dumps(literal_to_json(literal), ensure_ascii=False)


def _code(text: str) -> Markup:
    if len(text) > MAX_TEXT:
        left = len(text) - MAX_TEXT
        return Markup(
            f"<code>{escape(text[:MAX_TEXT])}</code>"
            f'<span class="muted"> … {left:,} more characters</span>'
        )
    return Markup(f"<code>{escape(text)}</code>")


def _list(shown: list[Markup], total: int) -> Markup:
    if not total:
        return Markup('<code class="muted">[]</code>')
    items = "".join(f"<li>{item}</li>" for item in shown)
    more = (
        f'<p class="muted">… {total - len(shown):,} more items ({total:,} in all)</p>'
        if total > len(shown)
        else ""
    )
    return Markup(f'<ol class="value-list" start="0">{items}</ol>{more}')


def _entries(entries: Mapping[str, tuple[Literal, LiteralType | None]], depth: int) -> Markup:
    if not entries:
        return Markup('<code class="muted">{}</code>')
    rows = [
        f"<dt>{escape(key)}</dt><dd>{render(value, value_type, depth + 1)}</dd>"
        for key, (value, value_type) in list(entries.items())[:MAX_ITEMS]
    ]
    more = (
        f'<p class="muted">… {len(entries) - MAX_ITEMS:,} more entries</p>'
        if len(entries) > MAX_ITEMS
        else ""
    )
    return Markup(f'<dl class="value-map">{"".join(rows)}</dl>{more}')


def _variant(literal_type: LiteralType | None, variant: str) -> LiteralType | None:
    if isinstance(literal_type, UnionType):
        for candidate in literal_type.variants:
            if describe(candidate) == variant:
                return candidate
    return None
