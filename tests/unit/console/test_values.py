"""Values as the console shows them: typed, cut when long, escaped, each with its short URL."""

from __future__ import annotations

from aloft.console.values import MAX_ITEMS, MAX_TEXT, data_url, render, shown_values, summary
from aloft.ir import (
    BlobValue,
    CollectionValue,
    ExecutionId,
    IntegerValue,
    MapValue,
    NoneValue,
    OffloadedValue,
    SimpleKind,
    SimpleType,
    StringValue,
    StructField,
    StructType,
    StructValue,
    TypedInterface,
    UnionType,
    UnionValue,
    Variable,
)

RUN = ExecutionId(name="run-1", project="p", domain="d")
INT = SimpleType(simple=SimpleKind.INTEGER)


def test_short_urls_name_the_execution_node_direction_and_value() -> None:
    assert data_url(RUN, "n1/n0", "o", "o0") == "aloft://v1/p/d/run-1/n1/n0/o/o0"
    assert data_url(RUN, "", "i", "x") == "aloft://v1/p/d/run-1/i/x"


def test_values_come_in_interface_order_with_their_types() -> None:
    interface = TypedInterface(
        inputs={
            "b": Variable(type=INT),
            "a": Variable(type=UnionType(variants=(INT, SimpleType(simple=SimpleKind.NONE)))),
        }
    )
    shown = shown_values(
        RUN,
        "n0",
        "i",
        {"a": NoneValue(), "b": IntegerValue(value=3), "extra": StringValue(value="x")},
        interface,
    )
    assert [(v.name, v.type) for v in shown] == [
        ("b", "int"),
        ("a", "Optional[int]"),
        ("extra", ""),
    ]
    assert shown[0].html == "<code>3</code>" and shown[0].url == "aloft://v1/p/d/run-1/n0/i/b"


def test_text_is_escaped_and_long_text_is_cut_saying_how_much() -> None:
    html = render(StringValue(value="<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    long = render(StringValue(value="x" * (MAX_TEXT + 500)))
    assert "more characters" in long and len(long) < MAX_TEXT + 300


def test_long_lists_show_their_first_items_and_the_count() -> None:
    html = render(CollectionValue(items=tuple(IntegerValue(value=i) for i in range(100))))
    assert html.count("<li>") == MAX_ITEMS and "80 more items (100 in all)" in html


def test_structs_maps_unions_and_blobs() -> None:
    point = StructType(name="Point", fields=(StructField(name="x", type=INT),))
    html = render(StructValue(fields={"x": IntegerValue(value=1)}), point)
    assert "<dt>x</dt><dd><code>1</code></dd>" in html
    assert "<dt>k</dt>" in render(MapValue(entries={"k": StringValue(value="v")}))
    assert render(UnionValue(variant="int", value=IntegerValue(value=5))) == "<code>5</code>"
    assert "s3://bucket/f.csv" in render(BlobValue(uri="s3://bucket/f.csv", format="csv"))
    assert "stored apart (10 bytes)" in render(OffloadedValue(uri="file:///x", hash="h", size=10))


def test_a_summary_is_one_short_line() -> None:
    assert summary(IntegerValue(value=3)) == "3"
    assert len(summary(StringValue(value="y" * 500))) == 80
