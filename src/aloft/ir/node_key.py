"""Node keys: where a node sits in an execution, as a structured path.

A node of the top workflow has the key ``("n1",)``; node ``n0`` of the subworkflow that node
``n1`` runs has ``("n1", "n0")``; item 7 of an array node has the array node's path and
``item=7``. Keys are compared and hashed as values and never parsed from strings; ``str(key)``
is only for people (``n1/n0``, ``n2[7]``).
"""

from __future__ import annotations

from aloft.ir.base import IRModel


class NodeKey(IRModel, frozen=True):
    """The path of node ids from the top workflow down to one node, plus an array item."""

    path: tuple[str, ...] = ()
    item: int | None = None

    def child(self, node_id: str) -> NodeKey:
        """The key of node ``node_id`` of the workflow this node runs."""
        return NodeKey(path=(*self.path, node_id))

    def at(self, item: int) -> NodeKey:
        """The key of item ``item`` of this array node."""
        return NodeKey(path=self.path, item=item)

    @property
    def parent(self) -> NodeKey:
        """The key of the node whose workflow holds this one (the root key at the top)."""
        if self.item is not None:
            return NodeKey(path=self.path)
        return NodeKey(path=self.path[:-1])

    @property
    def node_id(self) -> str:
        """This node's id within its own workflow (empty for the root)."""
        return self.path[-1] if self.path else ""

    def is_within(self, ancestor: NodeKey) -> bool:
        """Whether this key is ``ancestor`` or lies below it."""
        n = len(ancestor.path)
        return self.path[:n] == ancestor.path and (
            ancestor.item is None or (len(self.path) == n and self.item == ancestor.item)
        )

    def __str__(self) -> str:
        text = "/".join(self.path)
        return text if self.item is None else f"{text}[{self.item}]"


ROOT = NodeKey()
"""The key of the top workflow itself: the frame every top-level node belongs to."""
