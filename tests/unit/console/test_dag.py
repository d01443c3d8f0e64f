"""The layered layout: columns follow dependencies, neighbours sit near each other, large
columns wrap, and every box and edge is placed."""

from __future__ import annotations

from aloft.console.dag import COLUMN_GAP, MAX_ROWS, lay_out

BOX = (100.0, 40.0)


def test_a_chain_runs_left_to_right_one_column_per_node() -> None:
    layout = lay_out({n: BOX for n in "abc"}, [("a", "b"), ("b", "c")])
    xs = [layout.boxes[n].x for n in "abc"]
    assert xs == [0.0, 100.0 + COLUMN_GAP, 2 * (100.0 + COLUMN_GAP)]
    assert len({layout.boxes[n].y for n in "abc"}) == 1
    assert [(line.source, line.target) for line in layout.lines] == [("a", "b"), ("b", "c")]
    assert layout.width == 3 * 100.0 + 2 * COLUMN_GAP


def test_a_node_goes_after_the_furthest_of_its_upstream_nodes() -> None:
    # a -> b -> c, and a -> c: c must sit right of b, not beside it
    layout = lay_out({n: BOX for n in "abc"}, [("a", "c"), ("a", "b"), ("b", "c")])
    assert layout.boxes["a"].x < layout.boxes["b"].x < layout.boxes["c"].x


def test_edges_run_from_the_right_of_the_source_to_the_left_of_the_target() -> None:
    layout = lay_out({"a": BOX, "b": (160.0, 80.0)}, [("a", "b")])
    (line,) = layout.lines
    a, b = layout.boxes["a"], layout.boxes["b"]
    assert (line.x1, line.y1) == (a.x + a.width, a.y + a.height / 2)
    assert (line.x2, line.y2) == (b.x, b.y + b.height / 2)


def test_nodes_are_ordered_to_sit_beside_their_neighbours() -> None:
    # two chains given interleaved: each lower node should line up with its own upstream
    sizes = {n: BOX for n in ["a1", "b1", "b2", "a2"]}
    layout = lay_out(sizes, [("a1", "a2"), ("b1", "b2")])
    assert layout.boxes["a1"].y == layout.boxes["a2"].y
    assert layout.boxes["b1"].y == layout.boxes["b2"].y


def test_a_wide_fan_out_wraps_into_several_columns() -> None:
    leaves = [f"n{i}" for i in range(MAX_ROWS * 3 + 1)]
    sizes = {"root": BOX, **{n: BOX for n in leaves}}
    layout = lay_out(sizes, [("root", n) for n in leaves])
    columns = {layout.boxes[n].x for n in leaves}
    assert len(columns) == 4
    assert layout.height <= MAX_ROWS * (BOX[1] + 16)
    assert len(layout.lines) == len(leaves)


def test_a_cycle_or_unknown_names_still_place_every_node() -> None:
    layout = lay_out({n: BOX for n in "abc"}, [("a", "b"), ("b", "a"), ("c", "zz"), ("c", "c")])
    assert set(layout.boxes) == {"a", "b", "c"}
    assert {(line.source, line.target) for line in layout.lines} == {("a", "b"), ("b", "a")}


def test_an_empty_graph_has_no_size() -> None:
    layout = lay_out({}, [])
    assert (layout.boxes, layout.lines, layout.width, layout.height) == ({}, [], 0.0, 0.0)
