"""The registry: user transformers, caching, the public surface and import cost."""

# The typing forms (Optional, Union, List, Dict) are what flytekit users write: test them.
# ruff: noqa: UP045

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any, Optional

import pytest

import aloft.types
from aloft.errors import TypeTransformerError
from aloft.ir import (
    CollectionValue,
    Literal,
    LiteralType,
    SimpleKind,
    SimpleType,
    StringValue,
    describe,
)
from aloft.types import (
    TypeTransformer,
    engine,
    literal_type_of,
    parse_cli_value,
    register_transformer,
    to_literal,
    to_python,
)
from aloft.types.messages import literal_mismatch, mismatch
from aloft.types.pickles import PickleTransformer


class Money:
    """A user class no built-in transformer knows."""

    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.cents == self.cents

    def __hash__(self) -> int:
        return hash(self.cents)


class MoneyTransformer(TypeTransformer[Money]):
    """Stores Money as a string like "12.34"."""

    name = "Money"

    def handles(self, py_type: Any) -> bool:
        return py_type is Money

    def literal_type(self, py_type: Any) -> LiteralType:
        return SimpleType(simple=SimpleKind.STRING)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if not isinstance(value, Money):
            raise mismatch(Money, value)
        return StringValue(value=f"{value.cents // 100}.{value.cents % 100:02d}")

    def to_python(self, literal: Literal, py_type: Any) -> Money:
        if not isinstance(literal, StringValue):
            raise literal_mismatch(Money, literal)
        return Money(round(float(literal.value) * 100))

    def parse_text(self, text: str, py_type: Any) -> Money:
        return Money(round(float(text) * 100))


class ShoutingStr(TypeTransformer[str]):
    """Overrides the built-in str transformer."""

    name = "shouting str"

    def handles(self, py_type: Any) -> bool:
        return py_type is str

    def literal_type(self, py_type: Any) -> LiteralType:
        return SimpleType(simple=SimpleKind.STRING)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        return StringValue(value=str(value).upper())

    def to_python(self, literal: Literal, py_type: Any) -> str:
        assert isinstance(literal, StringValue)
        return literal.value


class Celsius(float):
    """A float subclass whose transformer relies on the default JSON parse_text."""


class CelsiusTransformer(TypeTransformer[Celsius]):
    name = "Celsius"

    def handles(self, py_type: Any) -> bool:
        return py_type is Celsius

    def literal_type(self, py_type: Any) -> LiteralType:
        return SimpleType(simple=SimpleKind.FLOAT)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        return to_literal(float(value), float)

    def to_python(self, literal: Literal, py_type: Any) -> Celsius:
        return Celsius(to_python(literal, float))


@pytest.fixture
def registry() -> Iterator[None]:
    """Undo registrations made by a test."""
    saved = list(engine._user)
    yield
    with engine._lock:
        engine._user[:] = saved
        engine._rebuild_search_order()


def test_exact_public_surface() -> None:
    assert sorted(aloft.types.__all__) == [
        "TypeTransformer",
        "literal_type_of",
        "parse_cli_value",
        "python_type_name",
        "register_transformer",
        "struct_fields",
        "to_literal",
        "to_python",
    ]


def test_importing_does_not_import_pydantic() -> None:
    code = (
        "import sys, aloft.types; assert 'pydantic' not in sys.modules;"
        "aloft.types.to_literal(1, int); aloft.types.literal_type_of(dict[str, list[int]]);"
        "assert 'pydantic' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=_child_env())


def test_importing_loads_no_transformer() -> None:
    code = (
        "import sys, aloft.types;"
        "assert 'aloft.types.primitives' not in sys.modules, 'loaded at import';"
        "aloft.types.to_literal(1, int);"
        "assert 'aloft.types.primitives' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=_child_env())


def test_a_user_transformer_adds_a_type(registry: None) -> None:
    assert isinstance(engine.transformer_for(Money), PickleTransformer)  # until registered
    register_transformer(MoneyTransformer())
    assert literal_type_of(Money) == SimpleType(simple=SimpleKind.STRING)
    assert to_literal(Money(1234), Money) == StringValue(value="12.34")
    assert to_python(StringValue(value="12.34"), Money) == Money(1234)
    assert parse_cli_value("0.5", Money) == Money(50)
    # ...and works inside the built-in containers, unions and records.
    assert to_python(to_literal([Money(1)], list[Money]), list[Money]) == [Money(1)]
    assert to_python(to_literal(Money(2), Optional[Money]), Optional[Money]) == Money(2)
    assert describe(literal_type_of(Optional[Money])) == "Optional[str]"


def test_a_user_transformer_wins_over_a_built_in(registry: None) -> None:
    assert to_literal("abc", str) == StringValue(value="abc")  # cached built-in
    register_transformer(ShoutingStr())
    assert to_literal("abc", str) == StringValue(value="ABC")
    assert to_literal(["abc"], list[str]) == CollectionValue(items=(StringValue(value="ABC"),))


def test_the_latest_registration_wins(registry: None) -> None:
    class Quiet(ShoutingStr):
        def to_literal(self, value: Any, py_type: Any) -> Literal:
            return StringValue(value=str(value).lower())

    register_transformer(ShoutingStr())
    register_transformer(Quiet())
    assert to_literal("AbC", str) == StringValue(value="abc")


def test_only_transformers_can_be_registered() -> None:
    with pytest.raises(TypeError, match="expected a TypeTransformer"):
        register_transformer(object())  # type: ignore[arg-type]  # deliberately wrong


def test_unsupported_message_lists_registered_types(registry: None) -> None:
    register_transformer(MoneyTransformer())
    with pytest.raises(TypeTransformerError) as info:
        literal_type_of(set[int])
    assert str(info.value).rstrip(")").endswith("Money (or register a TypeTransformer for it")


def test_default_parse_text_reads_json(registry: None) -> None:
    register_transformer(CelsiusTransformer())
    assert parse_cli_value("21.5", Celsius) == Celsius(21.5)
    with pytest.raises(TypeTransformerError) as info:
        parse_cli_value("warm", Celsius)
    assert str(info.value).startswith("expected Celsius, got 'warm' (not valid JSON")


def _child_env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env
