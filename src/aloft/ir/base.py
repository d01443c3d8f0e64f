"""The base class every IR model derives from.

IR models are msgspec Structs: frozen (hashable, safe to share between threads and caches),
keyword-only, strict about unknown fields, and encoded without their default values so the
JSON stays small and stable. They are not tracked by the garbage collector (``gc=False``):
being immutable and built bottom-up they cannot form reference cycles, and an engine holding
tens of thousands of records would otherwise pay for them in every collection. msgspec was
chosen over pydantic for the IR because it imports in a fraction of the time and encodes and
decodes several times faster (docs/architecture.md).
"""

from __future__ import annotations

import msgspec

from aloft.ir.codec import SCHEMA_VERSION


class IRModel(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    omit_defaults=True,
    forbid_unknown_fields=True,
    gc=False,
):
    """A frozen, JSON-serialisable piece of the intermediate representation."""


class Document(IRModel, frozen=True, kw_only=True, omit_defaults=False):
    """A stored document: it always records the schema version it was written with.

    Documents are read back by later versions of aloft: fields are only ever added, each
    with a default, so a newer reader fills what an older writer left out. A reader refuses
    fields it does not know (a document from a newer aloft), naming them.
    """

    schema_version: int = SCHEMA_VERSION
