"""Which literal types may feed which inputs (Flyte's rules)."""

from __future__ import annotations

import pytest

from aloft.compiler import binding_variant
from aloft.ir import (
    NONE_TYPE,
    BlobDimensionality,
    BlobType,
    CollectionType,
    LiteralType,
    PickleType,
    SimpleKind,
    SimpleType,
    UnionType,
)

INT = SimpleType(simple=SimpleKind.INTEGER)
FLOAT = SimpleType(simple=SimpleKind.FLOAT)
STR = SimpleType(simple=SimpleKind.STRING)
CSV = BlobType(format="csv")
ANY_FILE = BlobType()
FOLDER = BlobType(dimensionality=BlobDimensionality.MULTIPART)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        (INT, INT, ""),
        (INT, UnionType(variants=(INT, NONE_TYPE)), "int"),
        (NONE_TYPE, UnionType(variants=(INT, NONE_TYPE)), "None"),
        (STR, UnionType(variants=(INT, STR)), "str"),
        (
            CollectionType(element=INT),
            CollectionType(element=UnionType(variants=(INT, NONE_TYPE))),
            "",
        ),
        (CSV, ANY_FILE, ""),
        (ANY_FILE, CSV, ""),
        (PickleType(name="m.Foo"), PickleType(name="typing.Any"), ""),
    ],
)
def test_fits(source: LiteralType, target: LiteralType, expected: str) -> None:
    assert binding_variant(source, target) == expected


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (INT, FLOAT),
        (STR, INT),
        (UnionType(variants=(INT, NONE_TYPE)), INT),
        (CSV, BlobType(format="json")),
        (CSV, FOLDER),
        (PickleType(name="m.Foo"), PickleType(name="m.Bar")),
    ],
)
def test_does_not_fit(source: LiteralType, target: LiteralType) -> None:
    assert binding_variant(source, target) is None
